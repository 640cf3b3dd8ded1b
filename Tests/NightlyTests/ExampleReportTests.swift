import Foundation
import TestSupport
import Testing

/// reports/example/ is the demo's report, committed; it must be what the demo writes today.
@Suite struct ExampleReportTests {
    func files(under folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? [])
            .filter { name in
                var isFolder: ObjCBool = false
                return FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder) && !isFolder.boolValue
            }
            .sorted()
    }

    @Test func theCommittedExampleIsWhatTheDemoWrites() throws {
        let dir = TemporaryDirectory("demo")
        let result = try run(cisignalBinary, ["demo", "--out", dir.file("demo")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("The report: \(dir.file("demo"))/reports/latest/summary.md"))
        let fresh = dir.file("demo/reports/2026-11-20")
        let example = packageRoot.appendingPathComponent("reports/example").path
        let stale = "reports/example/ is stale: run scripts/regenerate-example.sh and commit the result"
        #expect(files(under: example) == files(under: fresh), "\(stale) (the files differ)")
        for name in files(under: fresh) {
            let committed = FileManager.default.contents(atPath: example + "/" + name)
            #expect(committed == FileManager.default.contents(atPath: fresh + "/" + name), "\(stale) (\(name) differs)")
        }
    }
}
