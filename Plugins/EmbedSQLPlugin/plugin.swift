// EmbedSQLPlugin: at build time, turns every file under the package's top-level `sql/` folder into a
// Swift source file of the target it is applied to, so the installed binary needs no SQL on disk.
// It must never be the place where SQL is edited: `sql/` is the single source.
import Foundation
import PackagePlugin

@main
struct EmbedSQLPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let sqlFolder = context.package.directoryURL.appending(path: "sql")
        let files = try FileManager.default
            .subpathsOfDirectory(atPath: sqlFolder.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedSQL.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) SQL files into \(target.name)",
                executable: try context.tool(named: "EmbedSQL").url,
                arguments: [sqlFolder.path, output.path] + files,
                inputFiles: files.map { sqlFolder.appending(path: $0) },
                outputFiles: [output]
            ),
        ]
    }
}
