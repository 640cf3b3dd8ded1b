#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

// libxml2 reports some errors (encoding conversion failures: "input conversion failed", "encoder
// error") through its generic error function, which prints to stderr, rather than through the
// parser's structured handler; in push mode it may even go on as if nothing happened. The function
// is variadic, which Swift cannot write, and set per thread. The reader calls this on the thread
// that parses, with a counter of its own: the handler counts instead of printing, and the reader
// treats a count above zero as an undecodable document.
static void cisignal_count_generic_error(void *counter, const char *message, ...) {
    (void)message;
    if (counter) {
        *(int *)counter += 1;
    }
}

static inline void cisignal_count_generic_errors(int *counter) {
    xmlSetGenericErrorFunc(counter, cisignal_count_generic_error);
}
