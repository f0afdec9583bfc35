#ifndef MARKGATE_CSQLITE_SHIM_H
#define MARKGATE_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
