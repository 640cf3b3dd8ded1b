import Analysis
import Foundation

/// Turns report parts into the files of a report folder.
public enum ReportRenderer {
    /// `summary.md` (from the `summary.md` template), the charts and the CSV files, by relative path.
    public static func files(_ parts: ReportParts, templates: ReportTemplates, excel: Bool = false) throws -> [String: Data] {
        var files: [String: Data] = [:]
        files["summary.md"] = Data(try templates.render("summary.md", parts.content).utf8)
        for (name, svg) in parts.charts { files[name] = Data(svg.utf8) }
        for file in ReportCSV.files {
            let table = parts.tables[file.name] ?? ResultTable(columns: file.columns, rows: [])
            files[file.name] = ReportCSV.data(table, excel: excel)
        }
        return files
    }
}
