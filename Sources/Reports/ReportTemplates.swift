import Foundation
import Mustache

/// Why report templates could not be used.
public enum ReportTemplateError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalid(name: String, reason: String)
    case missing(name: String, folder: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read report template \(path): \(reason)"
        case let .invalid(name, reason): return "report template \(name) is not valid Mustache: \(reason)"
        case let .missing(name, folder): return "report template \(name).mustache is missing from \(folder)"
        }
    }
}

/// The Mustache templates reports are written with: `reports/templates/*.mustache`, built into the
/// binary, or read at run time from a folder (`--templates DIR` of `report`, `nightly` and `demo`)
/// so the layout can change without recompiling.
public struct ReportTemplates: Sendable {
    /// Where the templates came from, for messages.
    public let origin: String
    let library: MustacheLibrary

    /// The templates in the binary (the package's `reports/templates/` when it was built).
    public static func builtIn() throws(ReportTemplateError) -> ReportTemplates {
        try ReportTemplates(files: EmbeddedTemplates.files, origin: "built-in templates")
    }

    /// The `*.mustache` files of `folder`; a template missing there is taken from the built-in ones.
    public static func folder(_ folder: String) throws(ReportTemplateError) -> ReportTemplates {
        var files = EmbeddedTemplates.files
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".mustache") }
        } catch {
            throw .unreadable(path: folder, reason: (error as NSError).localizedDescription)
        }
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw .unreadable(path: path, reason: "not readable UTF-8 text")
            }
            files[name] = text
        }
        return try ReportTemplates(files: files, origin: folder)
    }

    init(files: [String: String], origin: String) throws(ReportTemplateError) {
        var library = MustacheLibrary()
        for (file, text) in files {
            let name = String(file.dropLast(".mustache".count))
            do {
                try library.register(text, named: name)
            } catch {
                throw .invalid(name: file, reason: "\(error)")
            }
        }
        self.library = library
        self.origin = origin
    }

    /// Renders template `name` (its file name without `.mustache`) with `object`.
    public func render(_ name: String, _ object: Any) throws(ReportTemplateError) -> String {
        guard let text = library.render(object, withTemplate: name) else { throw .missing(name: name, folder: origin) }
        return text
    }
}
