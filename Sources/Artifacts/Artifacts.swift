// Artifacts: walks CI artifact trees and reads their bytes as streams (files, gzip, tar).
// It must never unpack to disk, follow a path out of the roots it was given, or load a whole file
// into memory.
