#ifndef MARKGATE_CZLIB_SHIM_H
#define MARKGATE_CZLIB_SHIM_H
// zlib, for reading gzip-compressed manifests (`GzipChunks`). `inflateInit2` and `deflateInit2` are macros:
// Swift calls `inflateInit2_` / `deflateInit2_` with `zlibVersion()` and `MemoryLayout<z_stream>.size`.
#include <zlib.h>
#endif
