// EmbedFilesPlugin: at build time, turns the package's text assets into a Swift source file of the
// target it is applied to, so the installed binary needs nothing on disk: every `sql/**/*.sql` into
// Store (`EmbeddedSQL`), every `reports/templates/*.mustache` into Reports (`EmbeddedTemplates`).
// It must never be the place where SQL or templates are edited: their folders are the single source.
import Foundation
import PackagePlugin

@main
struct EmbedFilesPlugin: BuildToolPlugin {
    /// What each target embeds: (folder inside the package, file suffix, Swift enum name).
    static let assets: [String: (folder: String, suffix: String, enumName: String)] = [
        "Store": ("sql", ".sql", "EmbeddedSQL"),
        "Reports": ("reports/templates", ".mustache", "EmbeddedTemplates"),
    ]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let asset = Self.assets[target.name] else {
            Diagnostics.error("EmbedFilesPlugin: nothing is configured to embed into \(target.name)")
            return []
        }
        let folder = context.package.directoryURL.appending(path: asset.folder)
        let files = try FileManager.default
            .subpathsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(asset.suffix) }
            .sorted()
        let output = context.pluginWorkDirectoryURL.appending(path: asset.enumName + ".swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) files of \(asset.folder) into \(target.name)",
                executable: try context.tool(named: "EmbedFiles").url,
                arguments: [asset.enumName, folder.path, output.path] + files,
                inputFiles: files.map { folder.appending(path: $0) },
                outputFiles: [output]
            ),
        ]
    }
}
