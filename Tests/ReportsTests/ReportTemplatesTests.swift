import Foundation
@testable import Reports
import TestSupport
import Testing

@Suite struct ReportTemplatesTests {
    @Test func theBuiltInTemplatesAreThePackagesFiles() throws {
        let folder = packageRoot.appendingPathComponent("reports/templates").path
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".mustache") }
        #expect(!names.isEmpty)
        for name in names {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            #expect(EmbeddedTemplates.files[name] == text, "the binary's \(name) differs from reports/templates/\(name): rebuild")
        }
    }

    @Test func aTemplateFolderReplacesTheLayoutWithoutRecompiling() throws {
        let dir = TemporaryDirectory()
        try dir.write("summary.md.mustache", "Report {{asOf}}: {{{verdict.headline}}}\n")
        let templates = try ReportTemplates.folder(dir.path)
        struct Verdict { var headline: String }
        struct Content { var asOf: String; var verdict: Verdict }
        #expect(try templates.render("summary.md", Content(asOf: "2026-11-20", verdict: Verdict(headline: "ok \\|"))) == "Report 2026-11-20: ok \\|\n")
    }

    @Test func brokenTemplatesAreNamedInTheError() throws {
        let dir = TemporaryDirectory()
        try dir.write("summary.md.mustache", "{{#open}} never closed\n")
        #expect {
            _ = try ReportTemplates.folder(dir.path)
        } throws: { error in
            guard case let ReportTemplateError.invalid(name, _) = error else { return false }
            return name == "summary.md.mustache"
        }
        #expect(throws: ReportTemplateError.self) { _ = try ReportTemplates.folder(dir.file("missing")) }
    }
}
