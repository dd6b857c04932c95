#ifndef CLIBFUZZER_H
#define CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, linked by `-sanitize=fuzzer`). The fuzz targets call it from
/// their own `main` because SwiftPM renames an executable's entry point, so libFuzzer's `main`
/// cannot be used as it would be with plain `swiftc -sanitize=fuzzer -parse-as-library`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
