#ifndef MARKGATE_SHA256_ACCEL_H
#define MARKGATE_SHA256_ACCEL_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has the x86 SHA extensions (and SSSE3, SSE4.1) that markgate_sha256_blocks uses.
int markgate_sha256_accelerated(void);

/// Runs the SHA-256 compression function over `blocks` 64-byte blocks at `data`, updating `state` (H0…H7).
/// Only call it when markgate_sha256_accelerated() returns 1.
void markgate_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
