// Element and attribute names the reader cares about, interned in the parser's dictionary.
import CLibXML2

/// What an element means to the reader. Anything not listed is `other` and only counts for depth.
enum ElementKind: UInt8 {
    case other, testsuites, testsuite, testcase, failure, error, skipped
    case flakyFailure, flakyError, rerunFailure, rerunError, stackTrace
}

/// Name pointers from the parser context's dictionary.
///
/// libxml2's SAX2 parser hands out element and attribute local names from the context's
/// dictionary, so a name matches exactly when its pointer equals the interned one: one pointer
/// comparison per candidate instead of a string comparison.
struct Names {
    typealias Name = UnsafePointer<xmlChar>?

    let elements: [(Name, ElementKind)]
    let name, classname, time, file, line, status, message: Name

    init(dict: OpaquePointer?) {
        func intern(_ s: StaticString) -> Name {
            s.withUTF8Buffer { xmlDictLookup(dict, $0.baseAddress, Int32($0.count)) }
        }
        elements = [
            (intern("testcase"), .testcase), (intern("testsuite"), .testsuite),
            (intern("failure"), .failure), (intern("error"), .error), (intern("skipped"), .skipped),
            (intern("testsuites"), .testsuites),
            (intern("flakyFailure"), .flakyFailure), (intern("flakyError"), .flakyError),
            (intern("rerunFailure"), .rerunFailure), (intern("rerunError"), .rerunError),
            (intern("stackTrace"), .stackTrace),
        ]
        name = intern("name")
        classname = intern("classname")
        time = intern("time")
        file = intern("file")
        line = intern("line")
        status = intern("status")
        message = intern("message")
    }

    @inline(__always)
    func kind(of localname: Name) -> ElementKind {
        for (candidate, kind) in elements where candidate == localname { return kind }
        return .other
    }
}
