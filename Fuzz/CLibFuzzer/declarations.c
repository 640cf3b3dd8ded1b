// No code: CLibFuzzer only declares libFuzzer's driver entry (include/CLibFuzzer.h).
#include "CLibFuzzer.h"
