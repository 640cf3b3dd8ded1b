// libFuzzer's entry for programs that keep their own main (compiler-rt, FuzzerInterface.h).
// Only defined when linking with -sanitize=fuzzer; cisignal-fuzz calls it only in that build.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
