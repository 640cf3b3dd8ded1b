// The libxml2 SAX2 callbacks: thin C-convention trampolines into ParseState.
import CLibXML2

@inline(__always)
private func state(_ ctx: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<ParseState> {
    ctx!.assumingMemoryBound(to: ParseState.self)
}

/// A SAX2 handler that reports elements, text and errors to a `ParseState` given as user data.
///
/// Entity handling is locked down: entity declarations are not recorded (no `entityDecl`), no
/// entity is ever looked up (`getEntity`/`getParameterEntity` return nil), no external entity or
/// subset is resolved (`resolveEntity` returns nil, no `externalSubset`). Only the five predefined
/// entities and character references are decoded (libxml2 does that itself); any other entity
/// reference is a well-formedness error, which also defeats "billion laughs" expansion.
func makeSAXHandler() -> xmlSAXHandler {
    var sax = xmlSAXHandler()
    sax.initialized = UInt32(XML_SAX2_MAGIC)
    sax.startElementNs = { ctx, localname, _, _, _, _, count, _, attributes in
        state(ctx).pointee.startElement(localname, Int(count), attributes)
    }
    sax.endElementNs = { ctx, _, _, _ in
        state(ctx).pointee.endElement()
    }
    sax.characters = { ctx, bytes, count in
        state(ctx).pointee.text(bytes, Int(count))
    }
    sax.ignorableWhitespace = sax.characters
    sax.cdataBlock = { ctx, bytes, count in
        state(ctx).pointee.text(bytes, Int(count))
    }
    sax.getEntity = { _, _ in nil }
    sax.getParameterEntity = { _, _ in nil }
    sax.resolveEntity = { _, _, _ in nil }
    sax.serror = { ctx, error in
        guard let ctx, let error else { return }
        state(ctx).pointee.recordError(error.pointee)
    }
    return sax
}
