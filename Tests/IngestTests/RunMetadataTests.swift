import TestSupport
import Foundation
import Store
import Testing
@testable import Ingest

@Suite struct RunMetadataTests {
    let paths = (started: "r/started.json", finished: "r/finished.json", prowjob: "r/prowjob.json")

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func everyFieldIsReadFromTheThreeFiles() {
        let metadata = RunMetadata(
            runPath: "/b/logs/periodic-ci-x-nightly-4.18-e2e-aws/1855",
            started: bytes(#"{"timestamp": 1762480000, "repo-version": "abc123"}"#),
            finished: bytes(#"{"timestamp": 1762483600, "passed": false, "result": "FAILURE", "revision": "def456"}"#),
            prowjob: bytes("""
                {"metadata": {"annotations": {"release.openshift.io/tag": "4.18.0-0.nightly-2026-11-07-013000"},
                              "labels": {"prow.k8s.io/job": "label-job"}},
                 "spec": {"type": "periodic", "job": "periodic-ci-x-nightly-4.18-e2e-aws"},
                 "status": {"state": "failure", "build_id": "1855", "url": "https://prow.example/view/1855"}}
                """),
            paths: paths)
        #expect(metadata.problems.isEmpty)
        #expect(metadata.run == JobRun(
            job: "periodic-ci-x-nightly-4.18-e2e-aws", buildID: "1855", runType: .periodic,
            startedAt: 1_762_480_000, finishedAt: 1_762_483_600, result: .failure,
            payloadTag: "4.18.0-0.nightly-2026-11-07-013000", revision: "def456", url: "https://prow.example/view/1855"))
        #expect(metadata.run.durationSeconds == 3600)
    }

    @Test func thePathFillsInWhatTheFilesDoNotSay() {
        let presubmit = RunMetadata(runPath: "/b/pr-logs/pull/openshift_origin/4242/pull-ci-origin-e2e/2001",
                                    started: nil, finished: bytes(#"{"passed": true}"#), prowjob: nil, paths: paths)
        #expect(presubmit.run.job == "pull-ci-origin-e2e")
        #expect(presubmit.run.buildID == "2001")
        #expect(presubmit.run.runType == .presubmit)
        #expect(presubmit.run.prNumber == 4242)
        #expect(presubmit.run.result == .success)

        let batch = RunMetadata(runPath: "pr-logs/pull/batch/pull-ci-origin-unit/77", started: nil, finished: nil, prowjob: nil, paths: paths)
        #expect(batch.run.runType == .batch)
        #expect(batch.run.prNumber == nil)
        #expect(batch.run.job == "pull-ci-origin-unit")
    }

    @Test func prowjobTimesAndStateAreTheFallback() {
        let metadata = RunMetadata(
            runPath: "logs/j/9", started: nil, finished: bytes("{}"),
            prowjob: bytes(#"{"status": {"startTime": "2026-11-07T01:30:00Z", "completionTime": "2026-11-07T02:30:00.5Z", "state": "aborted"}}"#),
            paths: paths)
        #expect(metadata.run.startedAt == 1_794_015_000)
        #expect(metadata.run.finishedAt == 1_794_018_600)
        #expect(metadata.run.result == .aborted)
    }

    @Test func refsAndPullNumberComeFromTheProwjobSpec() {
        let metadata = RunMetadata(
            runPath: "x/pr-logs/pull/o_r/1/j/5", started: nil, finished: bytes("{}"),
            prowjob: bytes(#"{"spec": {"type": "presubmit", "refs": {"org": "o", "repo": "r", "base_sha": "b1", "pulls": [{"number": 31, "sha": "p1"}]}}}"#),
            paths: paths)
        #expect(metadata.run.prNumber == 31)
        #expect(metadata.run.revision == "b1")
        #expect(metadata.run.refsJSON == #"{"base_sha":"b1","org":"o","pulls":[{"number":31,"sha":"p1"}],"repo":"r"}"#)
    }

    @Test func aBatchHasNoSinglePullNumberAndJobVersionIsTheLastPayloadFallback() {
        let batch = RunMetadata(
            runPath: "pr-logs/pull/batch/pull-ci-origin-unit/77", started: nil,
            finished: bytes(#"{"metadata": {"job-version": "4.18.0-0.ci-2026-11-07-013000"}}"#),
            prowjob: bytes(#"{"spec": {"type": "batch", "refs": {"pulls": [{"number": 1}, {"number": 2}]}}}"#), paths: paths)
        #expect(batch.run.runType == .batch)
        #expect(batch.run.prNumber == nil)
        #expect(batch.run.payloadTag == "4.18.0-0.ci-2026-11-07-013000")
    }

    @Test func malformedFilesAreProblemsAndNeverDropTheRun() {
        let metadata = RunMetadata(runPath: "logs/job-a/12", started: bytes("{not json"), finished: bytes("[1, 2]"),
                                   prowjob: bytes(""), paths: paths)
        #expect(metadata.run.job == "job-a")
        #expect(metadata.run.buildID == "12")
        #expect(metadata.problems.map(\.path) == ["r/started.json", "r/finished.json", "r/prowjob.json"])
        #expect(metadata.problems.allSatisfy { $0.kind == "malformed-json" })
    }

    @Test func fieldsOfTheWrongTypeAreReportedAndLeftUnknown() {
        let metadata = RunMetadata(
            runPath: "logs/job-a/12",
            started: bytes(#"{"timestamp": "yesterday"}"#),
            finished: bytes(#"{"timestamp": 1762483600, "passed": "yes", "result": 7}"#),
            prowjob: bytes(#"{"metadata": {"annotations": ["not", "an", "object"]}, "spec": {"job": {"name": "x"}}}"#),
            paths: paths)
        #expect(metadata.run.startedAt == nil)
        #expect(metadata.run.finishedAt == 1_762_483_600)
        #expect(metadata.run.result == nil)
        #expect(metadata.run.job == "job-a")
        let reasons = Set(metadata.problems.map(\.reason))
        #expect(reasons.contains("field 'timestamp' is not a time in Unix seconds; it is treated as unknown"))
        #expect(reasons.contains("field 'passed' is not true or false; it is treated as unknown"))
        #expect(reasons.contains("field 'annotations' is not an object; it is treated as unknown"))
        #expect(reasons.contains("field 'job' is not a string; it is treated as unknown"))
        #expect(metadata.problems.allSatisfy { $0.kind == "metadata-type" })
    }

    @Test func resultWordsInEitherCaseAreUnderstood() {
        #expect(RunMetadata.runResult("SUCCESS") == .success)
        #expect(RunMetadata.runResult("failure") == .failure)
        #expect(RunMetadata.runResult("ABORTED") == .aborted)
        #expect(RunMetadata.runResult("error") == .error)
        #expect(RunMetadata.runResult("pending") == nil)
    }

    @Test func thePayloadSourcesAreTriedInOrder() {
        let finished = bytes(#"{"metadata": {"payload": "from-finished"}}"#)
        let prowjob = bytes(#"{"metadata": {"labels": {"release.openshift.io/tag": "from-label"}}}"#)
        let byDefault = RunMetadata(runPath: "logs/j/1", started: nil, finished: finished, prowjob: prowjob, paths: paths)
        #expect(byDefault.run.payloadTag == "from-label")
        let configured = RunMetadata(runPath: "logs/j/1", started: nil, finished: finished, prowjob: prowjob, paths: paths,
                                     payloadSources: ["finished:payload"])
        #expect(configured.run.payloadTag == "from-finished")
    }
}
