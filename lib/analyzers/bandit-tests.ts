// Facts about Bandit's test ids (id, plugin/blacklist name, kind, CWE, default severity), copied from the table
// /work/shared/data/analyzers/bandit_test_ids.csv, which was derived from Bandit's source (Apache-2.0) at 1.9.4.
// Bandit reports blacklist hits with test_name "blacklist", so this table is also where their real names come from.
// Removed tests (B109, B111, B309, B320, B322, B325, B410, B414) are kept: older Bandits, such as Debian's 1.6.2,
// still report some of them (B322 `input`); they have no CWE in Bandit's own mapping.

export type BanditTestKind = "plugin" | "blacklist_calls" | "blacklist_imports" | "removed";

export type BanditTest = {
  id: string;
  name: string;
  kind: BanditTestKind;
  /** Normalized CWE id as Bandit maps it, or null (removed tests). */
  cwe: string | null;
  /** Default severity in Bandit's source; some plugins choose it per finding (then null, or "HIGH;LOW"). */
  severity: string | null;
};

export const BANDIT_TESTS: readonly BanditTest[] = [
  { id: "B101", name: "assert_used", kind: "plugin", cwe: "CWE-703", severity: "LOW" },
  { id: "B102", name: "exec_used", kind: "plugin", cwe: "CWE-78", severity: null },
  { id: "B103", name: "set_bad_file_permissions", kind: "plugin", cwe: "CWE-732", severity: null },
  { id: "B104", name: "hardcoded_bind_all_interfaces", kind: "plugin", cwe: "CWE-605", severity: "MEDIUM" },
  { id: "B105", name: "hardcoded_password_string", kind: "plugin", cwe: "CWE-259", severity: null },
  { id: "B106", name: "hardcoded_password_funcarg", kind: "plugin", cwe: "CWE-259", severity: null },
  { id: "B107", name: "hardcoded_password_default", kind: "plugin", cwe: "CWE-259", severity: null },
  { id: "B108", name: "hardcoded_tmp_directory", kind: "plugin", cwe: "CWE-377", severity: "MEDIUM" },
  { id: "B109", name: "password_config_option_not_marked_secret", kind: "removed", cwe: null, severity: null },
  { id: "B110", name: "try_except_pass", kind: "plugin", cwe: "CWE-703", severity: "LOW" },
  { id: "B111", name: "execute_with_run_as_root_equals_true", kind: "removed", cwe: null, severity: null },
  { id: "B112", name: "try_except_continue", kind: "plugin", cwe: "CWE-703", severity: "LOW" },
  { id: "B113", name: "request_without_timeout", kind: "plugin", cwe: "CWE-400", severity: "MEDIUM" },
  { id: "B201", name: "flask_debug_true", kind: "plugin", cwe: "CWE-94", severity: "HIGH" },
  { id: "B202", name: "tarfile_unsafe_members", kind: "plugin", cwe: "CWE-22", severity: null },
  { id: "B301", name: "pickle", kind: "blacklist_calls", cwe: "CWE-502", severity: "MEDIUM" },
  { id: "B302", name: "marshal", kind: "blacklist_calls", cwe: "CWE-502", severity: "MEDIUM" },
  { id: "B303", name: "md5", kind: "blacklist_calls", cwe: "CWE-327", severity: "MEDIUM" },
  { id: "B304", name: "ciphers", kind: "blacklist_calls", cwe: "CWE-327", severity: "HIGH" },
  { id: "B305", name: "cipher_modes", kind: "blacklist_calls", cwe: "CWE-327", severity: "MEDIUM" },
  { id: "B306", name: "mktemp_q", kind: "blacklist_calls", cwe: "CWE-377", severity: "MEDIUM" },
  { id: "B307", name: "eval", kind: "blacklist_calls", cwe: "CWE-78", severity: "MEDIUM" },
  { id: "B308", name: "mark_safe", kind: "blacklist_calls", cwe: "CWE-79", severity: "MEDIUM" },
  { id: "B309", name: "httpsconnection", kind: "removed", cwe: null, severity: null },
  { id: "B310", name: "urllib_urlopen", kind: "blacklist_calls", cwe: "CWE-22", severity: "MEDIUM" },
  { id: "B311", name: "random", kind: "blacklist_calls", cwe: "CWE-330", severity: "LOW" },
  { id: "B312", name: "telnetlib", kind: "blacklist_calls", cwe: "CWE-319", severity: "HIGH" },
  { id: "B313", name: "xml_bad_cElementTree", kind: "blacklist_calls", cwe: "CWE-20", severity: "MEDIUM" },
  { id: "B314", name: "xml_bad_ElementTree", kind: "blacklist_calls", cwe: "CWE-20", severity: "MEDIUM" },
  { id: "B315", name: "xml_bad_expatreader", kind: "blacklist_calls", cwe: "CWE-20", severity: "MEDIUM" },
  { id: "B316", name: "xml_bad_expatbuilder", kind: "blacklist_calls", cwe: "CWE-20", severity: "MEDIUM" },
  { id: "B317", name: "xml_bad_sax", kind: "blacklist_calls", cwe: "CWE-20", severity: "MEDIUM" },
  { id: "B318", name: "xml_bad_minidom", kind: "blacklist_calls", cwe: "CWE-20", severity: "MEDIUM" },
  { id: "B319", name: "xml_bad_pulldom", kind: "blacklist_calls", cwe: "CWE-20", severity: "MEDIUM" },
  { id: "B320", name: "xml_bad_etree", kind: "removed", cwe: null, severity: null },
  { id: "B321", name: "ftplib", kind: "blacklist_calls", cwe: "CWE-319", severity: "HIGH" },
  { id: "B322", name: "input", kind: "removed", cwe: null, severity: null },
  { id: "B323", name: "unverified_context", kind: "blacklist_calls", cwe: "CWE-295", severity: "MEDIUM" },
  { id: "B324", name: "hashlib", kind: "plugin", cwe: "CWE-327", severity: null },
  { id: "B325", name: "tempnam", kind: "removed", cwe: null, severity: null },
  { id: "B401", name: "import_telnetlib", kind: "blacklist_imports", cwe: "CWE-319", severity: "HIGH" },
  { id: "B402", name: "import_ftplib", kind: "blacklist_imports", cwe: "CWE-319", severity: "HIGH" },
  { id: "B403", name: "import_pickle", kind: "blacklist_imports", cwe: "CWE-502", severity: "LOW" },
  { id: "B404", name: "import_subprocess", kind: "blacklist_imports", cwe: "CWE-78", severity: "LOW" },
  { id: "B405", name: "import_xml_etree", kind: "blacklist_imports", cwe: "CWE-20", severity: "LOW" },
  { id: "B406", name: "import_xml_sax", kind: "blacklist_imports", cwe: "CWE-20", severity: "LOW" },
  { id: "B407", name: "import_xml_expat", kind: "blacklist_imports", cwe: "CWE-20", severity: "LOW" },
  { id: "B408", name: "import_xml_minidom", kind: "blacklist_imports", cwe: "CWE-20", severity: "LOW" },
  { id: "B409", name: "import_xml_pulldom", kind: "blacklist_imports", cwe: "CWE-20", severity: "LOW" },
  { id: "B410", name: "import_lxml", kind: "removed", cwe: null, severity: null },
  { id: "B411", name: "import_xmlrpclib", kind: "blacklist_imports", cwe: "CWE-20", severity: "HIGH" },
  { id: "B412", name: "import_httpoxy", kind: "blacklist_imports", cwe: "CWE-284", severity: "HIGH" },
  { id: "B413", name: "import_pycrypto", kind: "blacklist_imports", cwe: "CWE-327", severity: "HIGH" },
  { id: "B414", name: "import_pycryptodome", kind: "removed", cwe: null, severity: null },
  { id: "B415", name: "import_pyghmi", kind: "blacklist_imports", cwe: "CWE-319", severity: "HIGH" },
  { id: "B501", name: "request_with_no_cert_validation", kind: "plugin", cwe: "CWE-295", severity: "HIGH" },
  { id: "B502", name: "ssl_with_bad_version", kind: "plugin", cwe: "CWE-327", severity: "HIGH;MEDIUM" },
  { id: "B503", name: "ssl_with_bad_defaults", kind: "plugin", cwe: "CWE-327", severity: "MEDIUM" },
  { id: "B504", name: "ssl_with_no_version", kind: "plugin", cwe: "CWE-327", severity: "LOW" },
  { id: "B505", name: "weak_cryptographic_key", kind: "plugin", cwe: "CWE-326", severity: null },
  { id: "B506", name: "yaml_load", kind: "plugin", cwe: "CWE-20", severity: "MEDIUM" },
  { id: "B507", name: "ssh_no_host_key_verification", kind: "plugin", cwe: "CWE-295", severity: "HIGH" },
  { id: "B508", name: "snmp_insecure_version_check", kind: "plugin", cwe: "CWE-319", severity: "MEDIUM" },
  { id: "B509", name: "snmp_crypto_check", kind: "plugin", cwe: "CWE-319", severity: "MEDIUM" },
  { id: "B601", name: "paramiko_calls", kind: "plugin", cwe: "CWE-78", severity: "MEDIUM" },
  { id: "B602", name: "subprocess_popen_with_shell_equals_true", kind: "plugin", cwe: "CWE-78", severity: "HIGH;LOW" },
  { id: "B603", name: "subprocess_without_shell_equals_true", kind: "plugin", cwe: "CWE-78", severity: "LOW" },
  { id: "B604", name: "any_other_function_with_shell_equals_true", kind: "plugin", cwe: "CWE-78", severity: "MEDIUM" },
  { id: "B605", name: "start_process_with_a_shell", kind: "plugin", cwe: "CWE-78", severity: "HIGH;LOW" },
  { id: "B606", name: "start_process_with_no_shell", kind: "plugin", cwe: "CWE-78", severity: "LOW" },
  { id: "B607", name: "start_process_with_partial_path", kind: "plugin", cwe: "CWE-78", severity: "LOW" },
  { id: "B608", name: "hardcoded_sql_expressions", kind: "plugin", cwe: "CWE-89", severity: "MEDIUM" },
  { id: "B609", name: "linux_commands_wildcard_injection", kind: "plugin", cwe: "CWE-155", severity: "HIGH" },
  { id: "B610", name: "django_extra_used", kind: "plugin", cwe: "CWE-89", severity: "MEDIUM" },
  { id: "B611", name: "django_rawsql_used", kind: "plugin", cwe: "CWE-89", severity: "MEDIUM" },
  { id: "B612", name: "logging_config_insecure_listen", kind: "plugin", cwe: "CWE-94", severity: "MEDIUM" },
  { id: "B613", name: "trojansource", kind: "plugin", cwe: "CWE-838", severity: "HIGH" },
  { id: "B614", name: "pytorch_load", kind: "plugin", cwe: "CWE-502", severity: "MEDIUM" },
  { id: "B615", name: "huggingface_unsafe_download", kind: "plugin", cwe: "CWE-494", severity: "MEDIUM" },
  { id: "B701", name: "jinja2_autoescape_false", kind: "plugin", cwe: "CWE-94", severity: "HIGH" },
  { id: "B702", name: "use_of_mako_templates", kind: "plugin", cwe: "CWE-80", severity: "MEDIUM" },
  { id: "B703", name: "django_mark_safe", kind: "plugin", cwe: "CWE-80", severity: null },
  { id: "B704", name: "markupsafe_markup_xss", kind: "plugin", cwe: "CWE-79", severity: "MEDIUM" },
];

const byId = new Map(BANDIT_TESTS.map((t) => [t.id, t]));

export function findBanditTest(testId: string): BanditTest | undefined {
  return byId.get(testId.toUpperCase());
}
