/*
 * skeleton.c - print ICU confusable skeletons for code points.
 *
 * Reads code points (hex, one per line, optional "U+" prefix) on stdin and
 * writes one line per code point:  CP<TAB>SKELETON
 * where CP is the input in upper-case hex and SKELETON is the skeleton as
 * space-separated upper-case hex scalars (empty if the skeleton is empty).
 * First line of output is "#ICU<TAB>version".
 *
 * Uses uspoof_open + uspoof_getSkeleton with type 0 (the default, i.e. the
 * UTS #39 skeleton), so the mapping comes from ICU's confusables data.
 *
 * Build: cc -O2 -o skeleton skeleton.c $(pkg-config --cflags --libs icu-uc icu-i18n)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uspoof.h>
#include <unicode/utf16.h>
#include <unicode/uversion.h>

int main(void) {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker *sc = uspoof_open(&status);
    if (U_FAILURE(status)) {
        fprintf(stderr, "uspoof_open: %s\n", u_errorName(status));
        return 1;
    }
    UVersionInfo v;
    char vs[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(v);
    u_versionToString(v, vs);
    printf("#ICU\t%s\n", vs);

    char line[256];
    while (fgets(line, sizeof line, stdin)) {
        char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '\0' || *p == '\n' || *p == '#') continue;
        if ((p[0] == 'U' || p[0] == 'u') && p[1] == '+') p += 2;
        char *end;
        unsigned long cp = strtoul(p, &end, 16);
        if (end == p || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            fprintf(stderr, "bad code point: %s", line);
            return 1;
        }
        UChar in[2];
        int32_t inLen = 0;
        U16_APPEND_UNSAFE(in, inLen, (UChar32)cp);

        UChar buf[256];
        UChar *out = buf;
        status = U_ZERO_ERROR;
        int32_t outLen = uspoof_getSkeleton(sc, 0, in, inLen, out, 256, &status);
        if (status == U_BUFFER_OVERFLOW_ERROR) {
            out = malloc(sizeof(UChar) * (size_t)(outLen + 1));
            if (out == NULL) { perror("malloc"); return 1; }
            status = U_ZERO_ERROR;
            outLen = uspoof_getSkeleton(sc, 0, in, inLen, out, outLen + 1, &status);
        }
        if (U_FAILURE(status)) {
            fprintf(stderr, "uspoof_getSkeleton(%04lX): %s\n", cp, u_errorName(status));
            return 1;
        }
        printf("%04lX\t", cp);
        int32_t i = 0;
        int first = 1;
        while (i < outLen) {
            UChar32 c;
            U16_NEXT(out, i, outLen, c);
            printf(first ? "%04X" : " %04X", (unsigned)c);
            first = 0;
        }
        putchar('\n');
        if (out != buf) free(out);
    }
    uspoof_close(sc);
    if (ferror(stdout) || fflush(stdout) != 0) return 1;
    return 0;
}
