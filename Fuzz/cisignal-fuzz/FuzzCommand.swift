// cisignal-fuzz: one program for the three fuzz targets. Built with -sanitize=fuzzer,address and
// -DFUZZING (scripts/fuzz.sh does it), it is a libFuzzer binary: `cisignal-fuzz TARGET [libFuzzer
// options] [CORPUS...]`. Built plainly (as `swift build` does), it replays saved inputs:
// `cisignal-fuzz TARGET FILE...`, so a crash found by a fuzzer can be rerun under the debugger.
import Foundation
import FuzzTargets
#if FUZZING
import CLibFuzzer
#endif

/// The target picked by the first argument; read by the libFuzzer callback.
nonisolated(unsafe) private var selectedTarget = FuzzTarget.junit
/// Carries the target to the processes libFuzzer starts.
private let targetVariable = "CISIGNAL_FUZZ_TARGET"

@main struct FuzzCommand {
    static func main() {
        var arguments = CommandLine.arguments
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
        // The target is the first argument. libFuzzer restarts the program for -jobs and -fork
        // without it, so it is also passed on in the environment.
        let environmentTarget = ProcessInfo.processInfo.environment[targetVariable].flatMap(FuzzTarget.init(rawValue:))
        if arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[1]) {
            selectedTarget = target
            arguments.remove(at: 1)
            setenv(targetVariable, target.rawValue, 1)
        } else if let environmentTarget {
            selectedTarget = environmentTarget
        } else {
            printError("usage: cisignal-fuzz \(names) [FILE...]   (a fuzzing build takes libFuzzer options and corpus folders)")
            exit(2)
        }
        let target = selectedTarget
        #if FUZZING
        // libFuzzer sees the program name and everything after the target name.
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var argc = Int32(argv.count - 1)
        let status = argv.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var base = buffer.baseAddress
            return LLVMFuzzerRunDriver(&argc, &base) { data, size in
                fuzzerTestOneInput(data, size)
            }
        }
        exit(status)
        #else
        var failed = false
        for path in arguments.dropFirst() {
            guard let bytes = readFile(path) else {
                printError("cisignal-fuzz: cannot read \(path)")
                failed = true
                continue
            }
            target.run(bytes)
            print("\(path): ok (\(bytes.count) bytes)")
        }
        exit(failed ? 1 : 0)
        #endif
    }

    static func readFile(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { Array($0) }
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

#if FUZZING
/// libFuzzer's per-input entry. Its own main (linked in by -sanitize=fuzzer) needs the symbol; the
/// driver started above calls it too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
#endif
