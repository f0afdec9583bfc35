#ifndef MARKGATE_CLIBXML2_SHIM_H
#define MARKGATE_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU, and <libxml/encoding.h> then includes ICU's headers, which clash with
// the copy Foundation bundles (_FoundationICU). markgate never uses libxml2's ICU converters.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#endif
