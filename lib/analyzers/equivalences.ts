// Which Bandit tests and CodeQL queries report the same weakness, so a line flagged by both counts once
// (method.md section 6: "the reference code pairs Bandit test ids with CodeQL query names, e.g. B602 ~ 'Uncontrolled
// command line', B103 ~ 'Overly permissive file permissions'").
//
// The reference's full table is not available to us; this one starts from its two published pairs and adds a pair
// only where both rules fire on the same call for the same weakness, judged from Bandit's plugin docs and the
// CodeQL query's sinks (checked against their CWE tags in bandit-tests.ts / codeql-queries.ts by the tests).
// Left out on purpose: Bandit import-only blacklists (B4xx flag the `import` line, CodeQL flags the use), B101/B110/
// B112 (no CodeQL counterpart), B113 (timeouts), B310 (file:// schemes, not SSRF), B609 (wildcards, CWE-155).

export type Equivalence = {
  bandit: string;
  codeql: string;
  /** Why the two rules describe the same finding. */
  note: string;
};

export const BANDIT_CODEQL_EQUIVALENCES: readonly Equivalence[] = [
  // Command execution (CWE-78): CodeQL's sinks are the same subprocess/os/paramiko calls Bandit flags.
  { bandit: "B602", codeql: "py/command-line-injection", note: "subprocess with shell=True (reference pair)" },
  { bandit: "B602", codeql: "py/shell-command-constructed-from-input", note: "shell=True command built from input" },
  { bandit: "B603", codeql: "py/command-line-injection", note: "subprocess call without shell" },
  { bandit: "B604", codeql: "py/command-line-injection", note: "any call with shell=True" },
  { bandit: "B605", codeql: "py/command-line-injection", note: "os.system / os.popen and friends" },
  { bandit: "B605", codeql: "py/shell-command-constructed-from-input", note: "shell command string" },
  { bandit: "B606", codeql: "py/command-line-injection", note: "os.exec*/spawn* without shell" },
  { bandit: "B607", codeql: "py/command-line-injection", note: "process started with a partial path" },
  { bandit: "B601", codeql: "py/command-line-injection", note: "paramiko exec_command" },
  // Code execution (CWE-94/95).
  { bandit: "B102", codeql: "py/code-injection", note: "exec" },
  { bandit: "B307", codeql: "py/code-injection", note: "eval" },
  // File permissions (CWE-732).
  { bandit: "B103", codeql: "py/overly-permissive-file", note: "chmod with a permissive mask (reference pair)" },
  // Network binding.
  { bandit: "B104", codeql: "py/bind-socket-all-network-interfaces", note: "bind to 0.0.0.0" },
  // Hard-coded credentials (CWE-259/798).
  { bandit: "B105", codeql: "py/hardcoded-credentials", note: "password string" },
  { bandit: "B106", codeql: "py/hardcoded-credentials", note: "password keyword argument" },
  { bandit: "B107", codeql: "py/hardcoded-credentials", note: "password default argument" },
  // Temporary files (CWE-377).
  { bandit: "B306", codeql: "py/insecure-temporary-file", note: "tempfile.mktemp" },
  // Flask debug (CWE-94 / CWE-215).
  { bandit: "B201", codeql: "py/flask-debug", note: "app.run(debug=True)" },
  // Tar extraction (CWE-22).
  { bandit: "B202", codeql: "py/tarslip", note: "tarfile extractall without member checks" },
  // Deserialization (CWE-502).
  { bandit: "B301", codeql: "py/unsafe-deserialization", note: "pickle/dill/shelve/jsonpickle loads" },
  { bandit: "B302", codeql: "py/unsafe-deserialization", note: "marshal loads" },
  { bandit: "B506", codeql: "py/unsafe-deserialization", note: "yaml.load without a safe loader" },
  { bandit: "B614", codeql: "py/unsafe-deserialization", note: "torch.load" },
  // Weak cryptography (CWE-327/328/916/326).
  { bandit: "B303", codeql: "py/weak-sensitive-data-hashing", note: "MD5/SHA1 through a blacklisted call" },
  { bandit: "B324", codeql: "py/weak-sensitive-data-hashing", note: "hashlib MD5/SHA1" },
  { bandit: "B303", codeql: "py/weak-cryptographic-algorithm", note: "MD5/SHA1 as an algorithm" },
  { bandit: "B324", codeql: "py/weak-cryptographic-algorithm", note: "hashlib MD5/SHA1 as an algorithm" },
  { bandit: "B304", codeql: "py/weak-cryptographic-algorithm", note: "DES/RC4/Blowfish... ciphers" },
  { bandit: "B305", codeql: "py/weak-cryptographic-algorithm", note: "ECB mode" },
  { bandit: "B505", codeql: "py/weak-crypto-key", note: "RSA/DSA/EC key below the safe size" },
  // TLS (CWE-295/327).
  { bandit: "B501", codeql: "py/request-without-cert-validation", note: "requests verify=False" },
  { bandit: "B502", codeql: "py/insecure-protocol", note: "SSLv2/3, TLSv1.0/1.1 selected" },
  { bandit: "B503", codeql: "py/insecure-protocol", note: "insecure protocol as a default argument" },
  { bandit: "B504", codeql: "py/insecure-default-protocol", note: "ssl.wrap_socket without a version" },
  { bandit: "B507", codeql: "py/paramiko-missing-host-key-validation", note: "AutoAddPolicy / WarningPolicy" },
  // SQL (CWE-89).
  { bandit: "B608", codeql: "py/sql-injection", note: "SQL built by string formatting" },
  { bandit: "B610", codeql: "py/sql-injection", note: "Django extra()" },
  { bandit: "B611", codeql: "py/sql-injection", note: "Django RawSQL" },
  // Templates and XSS (CWE-79/94).
  { bandit: "B701", codeql: "py/jinja2/autoescape-false", note: "Jinja2 autoescape=False" },
  { bandit: "B308", codeql: "py/reflective-xss", note: "mark_safe on request data" },
  { bandit: "B703", codeql: "py/reflective-xss", note: "Django mark_safe" },
  { bandit: "B704", codeql: "py/reflective-xss", note: "markupsafe.Markup on request data" },
  // XML parsing of untrusted input (CWE-20/611/776).
  ...["B313", "B314", "B315", "B316", "B317", "B318", "B319"].flatMap((b) => [
    { bandit: b, codeql: "py/xxe", note: "unsafe XML parser on input" },
    { bandit: b, codeql: "py/xml-bomb", note: "entity expansion in an unsafe XML parser" },
  ]),
];

const pairs = new Set(BANDIT_CODEQL_EQUIVALENCES.map((e) => `${e.bandit}\u0000${e.codeql}`));

/** Whether a Bandit test and a CodeQL query report the same weakness (order of arguments does not matter). */
export function areEquivalentRules(ruleA: string, ruleB: string): boolean {
  return pairs.has(`${ruleA}\u0000${ruleB}`) || pairs.has(`${ruleB}\u0000${ruleA}`);
}
