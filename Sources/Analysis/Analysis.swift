// Analysis: rates over windows (pass, fail, flake, working), per test, job, variant and component,
// computed by the SQL in sql/ from the loaded results.
// It must never change loaded results, and never report a rate without the counts behind it.
