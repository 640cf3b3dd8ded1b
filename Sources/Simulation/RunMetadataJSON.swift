/// The Prow metadata files of a run, written by hand in a fixed key order.
enum RunMetadataJSON {
    static func started(into buffer: ByteBuffer, plan: RunPlan, job: SimulatedJob, revision: String) {
        buffer.append("{\"timestamp\":")
        buffer.append(decimal: Int(plan.start))
        if job.kind == .presubmit, let pull = plan.pulls.first {
            buffer.append(",\"pull\":")
            buffer.appendJSONString(plan.pulls.count == 1 ? String(pull) : "")
            buffer.append(",\"repos\":{\"openshift/origin\":")
            buffer.appendJSONString("master:" + revision + plan.pulls.map { ",\($0):\(revision.prefix(12))" }.joined())
            buffer.append("}")
        }
        buffer.append(",\"metadata\":{\"uploader\":\"crier\"}}\n")
    }

    static func finished(into buffer: ByteBuffer, plan: RunPlan, result: String, revision: String) {
        buffer.append("{\"timestamp\":")
        buffer.append(decimal: Int(plan.end))
        buffer.append(",\"passed\":")
        buffer.append(string: result == "SUCCESS" ? "true" : "false")
        buffer.append(",\"result\":")
        buffer.appendJSONString(result)
        buffer.append(",\"revision\":")
        buffer.appendJSONString(revision)
        buffer.append(",\"metadata\":{\"work-namespace\":")
        buffer.appendJSONString("ci-op-" + revision.prefix(8))
        buffer.append("}}\n")
    }

    /// `state` is Prow's: pending, success, failure or aborted.
    static func prowjob(into buffer: ByteBuffer, plan: RunPlan, job: SimulatedJob, payload: Payload?, state: String,
                        revision: String) {
        let type = plan.relativePath.hasPrefix("pr-logs/pull/batch/") ? "batch" : job.kind.rawValue
        let bucketPath = plan.relativePath
        buffer.append("{\"apiVersion\":\"prow.k8s.io/v1\",\"kind\":\"ProwJob\",\"metadata\":{\"annotations\":{")
        buffer.append("\"prow.k8s.io/context\":")
        buffer.appendJSONString(job.kind == .periodic ? "" : "ci/prow/" + job.target)
        buffer.append(",\"prow.k8s.io/job\":")
        buffer.appendJSONString(job.name)
        if let payload {
            buffer.append(",\"release.openshift.io/tag\":")
            buffer.appendJSONString(payload.tag)
        }
        buffer.append("},\"creationTimestamp\":")
        buffer.appendJSONString(rfc3339(plan.start))
        buffer.append(",\"labels\":{\"created-by-prow\":\"true\",\"prow.k8s.io/build-id\":")
        buffer.appendJSONString(plan.buildID)
        buffer.append(",\"prow.k8s.io/job\":")
        buffer.appendJSONString(String(job.name.prefix(63)))
        buffer.append(",\"prow.k8s.io/type\":")
        buffer.appendJSONString(type)
        buffer.append("},\"name\":")
        buffer.appendJSONString(String(revision.prefix(8)) + "-" + String(revision.suffix(4)) + "-4f1c-9d2e-" + String(revision.dropFirst(8).prefix(12)))
        buffer.append(",\"namespace\":\"ci\"},\"spec\":{\"agent\":\"kubernetes\",\"cluster\":\"build05\",\"job\":")
        buffer.appendJSONString(job.name)
        buffer.append(",\"type\":")
        buffer.appendJSONString(type)
        if job.kind == .presubmit {
            buffer.append(",\"refs\":{\"org\":\"openshift\",\"repo\":\"origin\",\"base_ref\":\"master\",\"base_sha\":")
            buffer.appendJSONString(revision)
            buffer.append(",\"pulls\":[")
            for (index, pull) in plan.pulls.enumerated() {
                if index > 0 { buffer.append(",") }
                buffer.append("{\"number\":")
                buffer.append(decimal: pull)
                buffer.append(",\"author\":\"developer")
                buffer.append(decimal: pull % 97)
                buffer.append("\",\"sha\":")
                buffer.appendJSONString(String(revision.reversed()))
                buffer.append("}")
            }
            buffer.append("]}")
        }
        buffer.append("},\"status\":{\"build_id\":")
        buffer.appendJSONString(plan.buildID)
        if state != "pending" {
            buffer.append(",\"completionTime\":")
            buffer.appendJSONString(rfc3339(plan.end))
        }
        buffer.append(",\"startTime\":")
        buffer.appendJSONString(rfc3339(plan.start))
        buffer.append(",\"state\":")
        buffer.appendJSONString(state)
        buffer.append(",\"url\":")
        buffer.appendJSONString("https://prow.ci.openshift.org/view/gs/test-platform-results/" + bucketPath)
        buffer.append("}}\n")
    }
}
