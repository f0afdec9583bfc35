// Ceiling of libxml2 parsing on this machine: what XMLManifestReader could reach at best.
//
// Reads one XML file into memory, then parses it three times with libxml2's SAX2 push parser (64 KiB chunks
// through xmlParseChunk, XML_PARSE_NONET | XML_PARSE_HUGE as XMLManifestReader sets, callbacks that only count
// elements and text bytes) and twice with xmlTextReader (the API XMLManifestReader used before 2026-11-21),
// printing MB/s (wall clock) for each run. Nothing but libxml2 is measured: no records, no strings.
//
// Build and run (Debian: libxml2-dev, pkg-config):
//   gcc -O2 -o /tmp/ceiling Benchmarks/c/libxml2-ceiling.c $(pkg-config --cflags --libs libxml-2.0)
//   swift build -c release --product markgate-bench
//   .build/release/markgate-bench --xml-file /tmp/ceb621.xml --generate   # the 100 MB CEB621 of `--xml`
//   /tmp/ceiling /tmp/ceb621.xml
// Compare with `markgate-bench --xml-file /tmp/ceb621.xml` (XMLManifestReader alone on the same bytes) in the
// same sitting: this machine's speed swings with the load of other builds.
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static long elements, textBytes;
static void start(void *ctx, const xmlChar *l, const xmlChar *p, const xmlChar *u, int nn, const xmlChar **ns, int na, int nd, const xmlChar **a) { elements++; }
static void end(void *ctx, const xmlChar *l, const xmlChar *p, const xmlChar *u) {}
static void chars(void *ctx, const xmlChar *ch, int len) { textBytes += len; }
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s FILE.xml\n", argv[0]); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    fseek(f, 0, SEEK_END); long size = ftell(f); fseek(f, 0, SEEK_SET);
    char *buf = malloc(size); fread(buf, 1, size, f); fclose(f);
    xmlSAXHandler sax; memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC; sax.startElementNs = start; sax.endElementNs = end; sax.characters = chars;
    for (int run = 0; run < 3; run++) {
        elements = textBytes = 0;
        double t0 = now();
        xmlParserCtxtPtr ctx = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, "x");
        xmlCtxtUseOptions(ctx, XML_PARSE_NONET | XML_PARSE_HUGE);
        for (long off = 0; off < size; off += 65536) xmlParseChunk(ctx, buf + off, off + 65536 < size ? 65536 : size - off, 0);
        xmlParseChunk(ctx, NULL, 0, 1);
        xmlFreeParserCtxt(ctx);
        double t = now() - t0;
        printf("SAX2 push, 64 KiB chunks: %.0f MB/s (%ld elements, %ld text bytes)\n", size / 1e6 / t, elements, textBytes);
    }
    for (int run = 0; run < 2; run++) {
        double t0 = now(); long nodes = 0;
        xmlTextReaderPtr r = xmlReaderForMemory(buf, size, "x", NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
        while (xmlTextReaderRead(r) == 1) { nodes++; if (xmlTextReaderNodeType(r) == 3) { const xmlChar *v = xmlTextReaderConstValue(r); (void)v; } }
        xmlFreeTextReader(r);
        double t = now() - t0;
        printf("xmlTextReader: %.0f MB/s (%ld nodes)\n", size / 1e6 / t, nodes);
    }
    return 0;
}
