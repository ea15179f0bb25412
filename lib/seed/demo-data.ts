// Demo seed data for DiSCo Studio: a small knowledge base of Python-relevant security issues, a list of
// security-prone Python packages, and hand-written insecure/secure code pairs in the shape of a DiSCo record
// (instruction x, insecure code y-, reason r-, secure code y+, reason r+, plus the knowledge-base entry and the
// package slot; see the method notes, section 1). All text and code here was written for this project as
// illustration; none of it is taken from a released dataset. CWE ids and official CWE titles are facts.
// Plain constants only, so the file can be imported from the UI, the CLI and tests without side effects.

export type DemoKnowledgeSource = "CWE" | "BANDIT" | "CODEQL" | "CUSTOM";

export interface DemoKnowledgeEntry {
  /** "CWE-78" form. */
  cweId: string;
  /** Official CWE title for source "CWE"; a short analyzer-style title for the other sources. */
  title: string;
  /** One to three sentences. */
  description: string;
  /** A short illustrative snippet, or null. */
  examples: string | null;
  source: DemoKnowledgeSource;
}

export interface DemoPackage {
  name: string;
  description: string;
}

export interface DemoPair {
  /** One or two sentences asking for the code; never names the weakness. */
  instruction: string;
  /** Python 3 without comments, containing the weakness. */
  insecureCode: string;
  /** Minimal fix of insecureCode with the same behaviour, no comments. */
  secureCode: string;
  /** r-: why insecureCode is vulnerable. */
  reasonInsecure: string;
  /** r+: why secureCode is fixed. */
  reasonSecure: string;
  /** Always present in DEMO_KNOWLEDGE_BASE. */
  cweId: string;
  /** Equal to the knowledge-base entry's title. */
  cweTitle: string;
  /** The package slot of the distillation prompt; null for a "simple" prompt without a package. */
  packageName: string | null;
}

export const DEMO_KNOWLEDGE_BASE: DemoKnowledgeEntry[] = [
  {
    cweId: "CWE-20",
    title: "Improper Input Validation",
    description: "The program accepts data from outside without confirming that it has the expected type, range or format. Values that were never checked can then drive calculations, lookups or state changes in ways the developer did not plan for.",
    examples: null,
    source: "CWE",
  },
  {
    cweId: "CWE-22",
    title: "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
    description: "A file path is built from user input without making sure it stays inside the intended folder. Sequences such as ../ or absolute paths then let a caller read or write files elsewhere on the system.",
    examples: "open(os.path.join(BASE_DIR, request.args['name']))",
    source: "CWE",
  },
  {
    cweId: "CWE-78",
    title: "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
    description: "An operating system command is assembled from outside input and run through a shell. Shell metacharacters in that input can end the intended command and start new ones with the program's privileges.",
    examples: "subprocess.run(f'ping -c 1 {host}', shell=True)",
    source: "CWE",
  },
  {
    cweId: "CWE-79",
    title: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
    description: "User-controlled text is placed into an HTML page without escaping. A visitor's browser then runs any script hidden in that text as if it came from the site.",
    examples: "return f'<h1>Hello {request.args[\"name\"]}</h1>'",
    source: "CWE",
  },
  {
    cweId: "CWE-89",
    title: "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
    description: "An SQL statement is built by joining strings with untrusted values instead of using bound parameters. Quotes and keywords in the input can then change what the query reads or modifies.",
    examples: "cursor.execute(f\"SELECT * FROM users WHERE name = '{name}'\")",
    source: "CWE",
  },
  {
    cweId: "CWE-90",
    title: "Improper Neutralization of Special Elements used in an LDAP Query ('LDAP Injection')",
    description: "A directory search filter is formed by inserting user input without escaping LDAP special characters. Parentheses and wildcards in the input can widen or rewrite the filter.",
    examples: "conn.search(base, f'(uid={login})')",
    source: "CWE",
  },
  {
    cweId: "CWE-94",
    title: "Improper Control of Generation of Code ('Code Injection')",
    description: "The program generates source code that includes outside input and then runs it. Anyone who controls that input can make the program execute code of their own.",
    examples: "exec(f'def f(r):\\n    return r.{field}')",
    source: "CWE",
  },
  {
    cweId: "CWE-95",
    title: "Improper Neutralization of Directives in Dynamically Evaluated Code ('Eval Injection')",
    description: "Input is handed to a dynamic evaluation function such as eval. Because the evaluator accepts full Python expressions, the input can call functions, import modules and reach the operating system.",
    examples: "value = eval(request.form['expr'])",
    source: "CWE",
  },
  {
    cweId: "CWE-117",
    title: "Log injection",
    description: "User-provided text is written to a log without neutralizing line breaks or other control characters. An attacker can then forge log entries or corrupt the log that operators rely on.",
    examples: "logger.info('login failed for ' + username)",
    source: "CODEQL",
  },
  {
    cweId: "CWE-209",
    title: "Generation of Error Message Containing Sensitive Information",
    description: "Error responses include internal details such as stack traces, queries, file paths or configuration values. This gives an attacker a map of the system to plan further attacks.",
    examples: "return {'error': traceback.format_exc()}, 500",
    source: "CWE",
  },
  {
    cweId: "CWE-295",
    title: "Improper Certificate Validation",
    description: "A TLS or SSH client accepts the remote party's certificate or host key without proper verification. A network attacker can then pose as the server and read or alter the traffic.",
    examples: "requests.get(url, verify=False)",
    source: "CWE",
  },
  {
    cweId: "CWE-319",
    title: "Cleartext Transmission of Sensitive Information",
    description: "Passwords, tokens or personal data are sent over a channel that is not encrypted, such as plain HTTP, FTP or SMTP without TLS. Anyone who can observe the network can read them.",
    examples: "requests.post('http://api.example.com/login', json=credentials)",
    source: "CWE",
  },
  {
    cweId: "CWE-327",
    title: "Use of a Broken or Risky Cryptographic Algorithm",
    description: "Data is protected with a cipher, mode or protocol version that is known to be weak, such as DES, RC4, ECB mode or TLS 1.0. The protection can then be broken or bypassed with practical effort.",
    examples: "Cipher(algorithms.AES(key), modes.ECB())",
    source: "CWE",
  },
  {
    cweId: "CWE-328",
    title: "Use of Weak Hash",
    description: "A hash function whose collision or preimage resistance is broken, such as MD5 or SHA-1, is used where security depends on it. Attackers can then produce different inputs with the same digest.",
    examples: "hashlib.md5(data).hexdigest()",
    source: "CWE",
  },
  {
    cweId: "CWE-330",
    title: "Use of Insufficiently Random Values",
    description: "Values that must be unguessable, such as tokens, session ids or keys, come from a source that is predictable. An attacker who can predict them can hijack sessions or reset other users' passwords.",
    examples: "token = ''.join(random.choice(alphabet) for _ in range(32))",
    source: "CWE",
  },
  {
    cweId: "CWE-338",
    title: "Use of Cryptographically Weak Pseudo-Random Number Generator (PRNG)",
    description: "A general-purpose pseudo-random generator such as Python's random module is used in a security context. Its internal state can be recovered from observed outputs, which makes later values predictable.",
    examples: "code = random.randint(0, 999999)",
    source: "CWE",
  },
  {
    cweId: "CWE-377",
    title: "Insecure Temporary File",
    description: "A temporary file is created in a way that lets another process predict or claim its name first, for example by picking a name and opening it in two separate steps. The other process can then read, replace or redirect the data.",
    examples: "path = tempfile.mktemp(); open(path, 'w')",
    source: "CWE",
  },
  {
    cweId: "CWE-400",
    title: "Uncontrolled Resource Consumption",
    description: "The program does not limit how much time, memory, disk or how many connections a single request can use. A slow or oversized input can tie up workers or exhaust the machine.",
    examples: null,
    source: "CWE",
  },
  {
    cweId: "CWE-434",
    title: "Unrestricted Upload of File with Dangerous Type",
    description: "Uploaded files are stored without checking their name or type. An attacker can place HTML, scripts or executables where the server or other users will later open them.",
    examples: "upload.save(os.path.join(UPLOAD_DIR, upload.filename))",
    source: "CWE",
  },
  {
    cweId: "CWE-489",
    title: "Flask application run in debug mode",
    description: "A web application is started with its debugger enabled. The Werkzeug debugger lets anyone who triggers an error run Python code on the server, so it must never be reachable in production.",
    examples: "app.run(debug=True)",
    source: "BANDIT",
  },
  {
    cweId: "CWE-502",
    title: "Deserialization of Untrusted Data",
    description: "Data from an untrusted source is restored with a serializer that can rebuild arbitrary objects, such as pickle or an unsafe YAML loader. A crafted payload can run code while it is being loaded.",
    examples: "pickle.loads(request.cookies['state'])",
    source: "CWE",
  },
  {
    cweId: "CWE-601",
    title: "URL Redirection to Untrusted Site ('Open Redirect')",
    description: "The application redirects to a location taken from the request without checking where it points. Attackers use such links to send victims from a trusted domain to a phishing site.",
    examples: "return redirect(request.args['next'])",
    source: "CWE",
  },
  {
    cweId: "CWE-611",
    title: "Improper Restriction of XML External Entity Reference",
    description: "An XML parser processes external entity declarations in untrusted documents. A document can then make the parser read local files or contact internal URLs and include the results.",
    examples: "etree.XMLParser(resolve_entities=True, load_dtd=True)",
    source: "CWE",
  },
  {
    cweId: "CWE-614",
    title: "Session cookie issued without protective flags",
    description: "A session or authentication cookie is set without the Secure, HttpOnly or SameSite attributes. It can then leak over plain HTTP, be read by injected scripts or ride along on cross-site requests.",
    examples: "response.set_cookie('session_id', sid)",
    source: "CUSTOM",
  },
  {
    cweId: "CWE-643",
    title: "Improper Neutralization of Data within XPath Expressions ('XPath Injection')",
    description: "An XPath query is assembled by inserting user input into the expression text. Quotes and operators in the input can change which nodes the query selects.",
    examples: "tree.xpath(f\"//user[name='{name}']\")",
    source: "CWE",
  },
  {
    cweId: "CWE-703",
    title: "Improper Check or Handling of Exceptional Conditions",
    description: "The code does not reliably detect or deal with unusual situations, for example by swallowing every exception or by enforcing rules with assert, which Python removes under -O. Failures then pass silently and security checks can disappear.",
    examples: "try: charge() except Exception: pass",
    source: "CWE",
  },
  {
    cweId: "CWE-732",
    title: "Incorrect Permission Assignment for Critical Resource",
    description: "A file or directory holding sensitive data or code is given permissions that let other users read or modify it. Local attackers can then steal secrets or tamper with the program.",
    examples: "os.chmod(path, 0o777)",
    source: "CWE",
  },
  {
    cweId: "CWE-776",
    title: "Improper Restriction of Recursive Entity References in DTDs ('XML Entity Expansion')",
    description: "An XML parser expands entities defined inside the document's DTD without a limit. A small document whose entities refer to each other can expand to gigabytes and exhaust memory.",
    examples: "xml.etree.ElementTree.fromstring(untrusted_bytes)",
    source: "CWE",
  },
  {
    cweId: "CWE-798",
    title: "Use of Hard-coded Credentials",
    description: "A password, API key or token is written directly in the source code. Everyone who can read the code or its history learns the secret, and changing it requires a new release.",
    examples: "DB_PASSWORD = 'hunter2'",
    source: "CWE",
  },
  {
    cweId: "CWE-915",
    title: "Improperly Controlled Modification of Dynamically-Determined Object Attributes",
    description: "The program copies attribute names and values from a request onto an object without limiting which attributes may change. A caller can then set fields such as roles or ownership that were never meant to be editable.",
    examples: "for k, v in payload.items(): setattr(user, k, v)",
    source: "CWE",
  },
  {
    cweId: "CWE-916",
    title: "Use of Password Hash With Insufficient Computational Effort",
    description: "Stored passwords are protected with a fast hash instead of a deliberately slow key-derivation function. If the hashes leak, attackers can test huge numbers of guesses per second.",
    examples: "hashlib.sha256(salt + password).hexdigest()",
    source: "CWE",
  },
  {
    cweId: "CWE-918",
    title: "Server-Side Request Forgery (SSRF)",
    description: "The server fetches a URL that the client chooses without restricting the destination. Attackers use it to reach internal services, cloud metadata endpoints or other hosts behind the firewall.",
    examples: "requests.get(request.args['url'])",
    source: "CWE",
  },
  {
    cweId: "CWE-1327",
    title: "Binding to an Unrestricted IP Address",
    description: "A service listens on 0.0.0.0 or another wildcard address, so it accepts connections from every network interface. Services meant only for local use become reachable from outside.",
    examples: "server = socketserver.TCPServer(('0.0.0.0', 9000), Handler)",
    source: "CWE",
  },
  {
    cweId: "CWE-1333",
    title: "Inefficient Regular Expression Complexity",
    description: "A regular expression with nested or overlapping repetition can take exponential time on certain inputs. A short crafted string can then keep a worker busy for minutes (ReDoS).",
    examples: "re.match(r'^(a+)+$', text)",
    source: "CWE",
  },
];

export const DEMO_PACKAGES: DemoPackage[] = [
  { name: "os", description: "Standard library interface to the operating system: files, permissions, environment variables and os.system for running commands." },
  { name: "subprocess", description: "Starts and talks to child processes; risky when commands are built as strings and run with shell=True." },
  { name: "shlex", description: "Splits and quotes strings using shell syntax; often used to build command lines." },
  { name: "pickle", description: "Python's native object serializer; loading a pickle can run arbitrary code." },
  { name: "yaml", description: "PyYAML parser and emitter; the full loaders can construct arbitrary Python objects." },
  { name: "requests", description: "Popular HTTP client; certificate checks, timeouts and destination URLs are the caller's responsibility." },
  { name: "sqlite3", description: "Built-in driver for SQLite databases using the DB-API with ? placeholders." },
  { name: "psycopg2", description: "PostgreSQL driver for Python; queries take %s placeholders for bound parameters." },
  { name: "hashlib", description: "Standard library hash functions, from MD5 and SHA-1 to SHA-2, SHA-3 and PBKDF2." },
  { name: "random", description: "General-purpose pseudo-random numbers based on the Mersenne Twister; not meant for secrets." },
  { name: "ssl", description: "TLS wrapper for sockets; contexts control protocol versions, ciphers and certificate checks." },
  { name: "cryptography", description: "High-level recipes and low-level primitives for encryption, signing and key derivation." },
  { name: "flask", description: "Lightweight web framework; routing, request parsing, redirects, cookies and the development server." },
  { name: "jinja2", description: "Template engine used by Flask; whether output is HTML-escaped depends on the autoescape setting." },
  { name: "xml.etree.ElementTree", description: "Standard library XML parser and tree API; not hardened against malicious documents." },
  { name: "lxml", description: "Fast libxml2-based XML and HTML toolkit with XPath support; parser options control DTD and entity handling." },
  { name: "tempfile", description: "Creates temporary files and directories; mktemp only returns a name and is racy." },
  { name: "tarfile", description: "Reads and writes tar archives; extracting untrusted archives can write outside the target folder." },
  { name: "paramiko", description: "SSH and SFTP client and server implementation; host key policy decides which servers are trusted." },
  { name: "ldap3", description: "Pure-Python LDAP client for directory searches and updates." },
  { name: "redis", description: "Client for the Redis key-value store, often used as a job queue or cache." },
  { name: "smtplib", description: "Standard library SMTP client for sending email; TLS must be requested explicitly with starttls or SMTP_SSL." },
  { name: "re", description: "Standard library regular expressions with a backtracking engine." },
  { name: "socketserver", description: "Framework for simple TCP and UDP servers." },
  { name: "logging", description: "Standard library logging framework used for application and audit logs." },
  { name: "marshal", description: "Internal serializer for Python bytecode values; not safe for untrusted data." },
];

/**
 * Insecure/secure pairs. Many insecure snippets use patterns Bandit reports (shell=True, pickle, yaml.load, MD5,
 * random for secrets, verify=False, eval/exec, mktemp, chmod 0o777, hard-coded secrets, string-built SQL,
 * xml.etree, debug=True, ...) and their secure side removes the finding. Exactly one pair is a deliberate
 * "still flagged" example for the review UI: the CWE-78 ping pair, whose secure code quotes the host with
 * shlex.quote but keeps subprocess.run(..., shell=True), so Bandit still reports B602 on it.
 */
export const DEMO_PAIRS: DemoPair[] = [
  {
    cweId: "CWE-78",
    cweTitle: "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
    packageName: "subprocess",
    instruction: "Write a function that compresses a given directory into a tar.gz archive with the system tar command and returns the path of the archive.",
    insecureCode: `import os
import subprocess


def archive_directory(source_dir, output_dir):
    if not os.path.isdir(source_dir):
        raise FileNotFoundError(source_dir)
    os.makedirs(output_dir, exist_ok=True)
    name = os.path.basename(os.path.normpath(source_dir))
    archive_path = os.path.join(output_dir, name + ".tar.gz")
    command = f"tar -czf {archive_path} -C {source_dir} ."
    result = subprocess.run(command, shell=True, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip())
    return archive_path


if __name__ == "__main__":
    print(archive_directory("./reports", "./backups"))`,
    reasonInsecure: "The archive and source paths are pasted into a command string that runs through the shell, so a directory name containing characters such as ; or $( ) makes the shell execute extra commands.",
    secureCode: `import os
import subprocess


def archive_directory(source_dir, output_dir):
    if not os.path.isdir(source_dir):
        raise FileNotFoundError(source_dir)
    os.makedirs(output_dir, exist_ok=True)
    name = os.path.basename(os.path.normpath(source_dir))
    archive_path = os.path.join(output_dir, name + ".tar.gz")
    command = ["tar", "-czf", archive_path, "-C", source_dir, "."]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip())
    return archive_path


if __name__ == "__main__":
    print(archive_directory("./reports", "./backups"))`,
    reasonSecure: "The command is now passed as a list of arguments without a shell, so the paths reach tar as plain arguments and are never interpreted by a shell.",
  },
  {
    cweId: "CWE-78",
    cweTitle: "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
    packageName: "subprocess",
    instruction: "Write a function that pings a host a given number of times and reports whether it answered, together with the raw output of the ping command.",
    insecureCode: `import subprocess


def ping_host(host, count=3):
    command = f"ping -c {int(count)} {host}"
    completed = subprocess.run(
        command,
        shell=True,
        capture_output=True,
        text=True,
        timeout=30,
    )
    reachable = completed.returncode == 0
    return {"host": host, "reachable": reachable, "output": completed.stdout}


def ping_many(hosts):
    results = []
    for host in hosts:
        results.append(ping_host(host))
    return results


if __name__ == "__main__":
    for entry in ping_many(["localhost", "example.org"]):
        print(entry["host"], entry["reachable"])`,
    reasonInsecure: "The host value is interpolated unquoted into a shell command line, so input like \"example.org; rm -rf ~\" runs a second command with the privileges of the service.",
    secureCode: `import shlex
import subprocess


def ping_host(host, count=3):
    command = f"ping -c {int(count)} {shlex.quote(host)}"
    completed = subprocess.run(
        command,
        shell=True,
        capture_output=True,
        text=True,
        timeout=30,
    )
    reachable = completed.returncode == 0
    return {"host": host, "reachable": reachable, "output": completed.stdout}


def ping_many(hosts):
    results = []
    for host in hosts:
        results.append(ping_host(host))
    return results


if __name__ == "__main__":
    for entry in ping_many(["localhost", "example.org"]):
        print(entry["host"], entry["reachable"])`,
    reasonSecure: "The host is wrapped with shlex.quote, so the shell sees it as one literal argument and separators or substitutions inside it are not executed.",
  },
  {
    cweId: "CWE-78",
    cweTitle: "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
    packageName: "os",
    instruction: "Write a function that creates a thumbnail of an uploaded image by calling ImageMagick's convert tool with a requested width, plus a helper that does this for several files.",
    insecureCode: `import os


def make_thumbnail(image_path, width, output_dir="thumbnails"):
    os.makedirs(output_dir, exist_ok=True)
    base = os.path.splitext(os.path.basename(image_path))[0]
    target = os.path.join(output_dir, f"{base}_{width}.png")
    status = os.system(f"convert {image_path} -resize {width}x {target}")
    if status != 0:
        raise RuntimeError(f"convert exited with status {status}")
    return target


def make_thumbnails(paths, width=200):
    created = []
    for path in paths:
        created.append(make_thumbnail(path, width))
    return created`,
    reasonInsecure: "os.system hands the whole string to the shell, and both the file path and the width come from the caller, so a crafted file name can append arbitrary shell commands.",
    secureCode: `import os
import subprocess


def make_thumbnail(image_path, width, output_dir="thumbnails"):
    os.makedirs(output_dir, exist_ok=True)
    base = os.path.splitext(os.path.basename(image_path))[0]
    target = os.path.join(output_dir, f"{base}_{int(width)}.png")
    completed = subprocess.run(["convert", image_path, "-resize", f"{int(width)}x", target])
    status = completed.returncode
    if status != 0:
        raise RuntimeError(f"convert exited with status {status}")
    return target


def make_thumbnails(paths, width=200):
    created = []
    for path in paths:
        created.append(make_thumbnail(path, width))
    return created`,
    reasonSecure: "The tool is started through subprocess.run with an argument list and the width is forced to an integer, so no shell ever parses the user-controlled values.",
  },
  {
    cweId: "CWE-89",
    cweTitle: "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
    packageName: "sqlite3",
    instruction: "Write a function that looks up the users in a SQLite database whose username equals a given value and returns them as dictionaries.",
    insecureCode: `import sqlite3


def find_users(db_path, username):
    connection = sqlite3.connect(db_path)
    connection.row_factory = sqlite3.Row
    try:
        cursor = connection.cursor()
        query = f"SELECT id, username, email FROM users WHERE username = '{username}'"
        cursor.execute(query)
        rows = cursor.fetchall()
        return [dict(row) for row in rows]
    finally:
        connection.close()


if __name__ == "__main__":
    for user in find_users("app.db", "alice"):
        print(user["id"], user["email"])`,
    reasonInsecure: "The username is placed inside the SQL text with an f-string, so a value such as ' OR '1'='1 changes the meaning of the query and returns every user.",
    secureCode: `import sqlite3


def find_users(db_path, username):
    connection = sqlite3.connect(db_path)
    connection.row_factory = sqlite3.Row
    try:
        cursor = connection.cursor()
        query = "SELECT id, username, email FROM users WHERE username = ?"
        cursor.execute(query, (username,))
        rows = cursor.fetchall()
        return [dict(row) for row in rows]
    finally:
        connection.close()


if __name__ == "__main__":
    for user in find_users("app.db", "alice"):
        print(user["id"], user["email"])`,
    reasonSecure: "The query now uses a ? placeholder and passes the username as a bound parameter, so the database treats it strictly as data.",
  },
  {
    cweId: "CWE-89",
    cweTitle: "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
    packageName: "sqlite3",
    instruction: "Write a function that records a payment by lowering a customer's balance in a SQLite accounts table and returns the new balance.",
    insecureCode: `import sqlite3


def apply_payment(db_path, customer_id, amount):
    connection = sqlite3.connect(db_path)
    try:
        cursor = connection.cursor()
        cursor.execute(
            "UPDATE accounts SET balance = balance - %s WHERE customer_id = '%s'" % (amount, customer_id)
        )
        cursor.execute(
            "SELECT balance FROM accounts WHERE customer_id = '%s'" % customer_id
        )
        row = cursor.fetchone()
        connection.commit()
        return row[0] if row else None
    finally:
        connection.close()`,
    reasonInsecure: "Both statements are assembled with % string formatting around the customer id and amount, so a crafted id can close the quote and rewrite the UPDATE to touch other rows.",
    secureCode: `import sqlite3


def apply_payment(db_path, customer_id, amount):
    connection = sqlite3.connect(db_path)
    try:
        cursor = connection.cursor()
        cursor.execute(
            "UPDATE accounts SET balance = balance - ? WHERE customer_id = ?", (amount, customer_id)
        )
        cursor.execute(
            "SELECT balance FROM accounts WHERE customer_id = ?", (customer_id,)
        )
        row = cursor.fetchone()
        connection.commit()
        return row[0] if row else None
    finally:
        connection.close()`,
    reasonSecure: "The amount and customer id are now supplied as bound parameters to each statement, so their content can no longer alter the SQL.",
  },
  {
    cweId: "CWE-89",
    cweTitle: "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
    packageName: "psycopg2",
    instruction: "Write a function that searches a PostgreSQL products table for names containing a search term and returns at most a given number of matches.",
    insecureCode: `import psycopg2


def search_products(dsn, term, limit=20):
    connection = psycopg2.connect(dsn)
    try:
        with connection.cursor() as cursor:
            sql = "SELECT id, name, price FROM products WHERE name ILIKE '%{}%' LIMIT {}".format(term, int(limit))
            cursor.execute(sql)
            return [
                {"id": row[0], "name": row[1], "price": float(row[2])}
                for row in cursor.fetchall()
            ]
    finally:
        connection.close()


if __name__ == "__main__":
    print(search_products("dbname=shop", "lamp"))`,
    reasonInsecure: "The search term is inserted into the statement with str.format, so quotes in the term let a caller append UNION clauses or other SQL of their choosing.",
    secureCode: `import psycopg2


def search_products(dsn, term, limit=20):
    connection = psycopg2.connect(dsn)
    try:
        with connection.cursor() as cursor:
            sql = "SELECT id, name, price FROM products WHERE name ILIKE %s LIMIT %s"
            cursor.execute(sql, ("%" + term + "%", int(limit)))
            return [
                {"id": row[0], "name": row[1], "price": float(row[2])}
                for row in cursor.fetchall()
            ]
    finally:
        connection.close()


if __name__ == "__main__":
    print(search_products("dbname=shop", "lamp"))`,
    reasonSecure: "The LIKE pattern and the limit are passed to cursor.execute as %s parameters, letting psycopg2 escape them instead of splicing them into the SQL text.",
  },
  {
    cweId: "CWE-22",
    cweTitle: "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
    packageName: "flask",
    instruction: "Create a Flask endpoint that lets users download a report file by name from the server's reports folder.",
    insecureCode: `import os

from flask import Flask, abort, request, send_file

app = Flask(__name__)
REPORTS_DIR = "/srv/app/reports"


@app.route("/reports/download")
def download_report():
    name = request.args.get("name", "")
    if not name:
        abort(400)
    path = os.path.join(REPORTS_DIR, name)
    if not os.path.isfile(path):
        abort(404)
    return send_file(path, as_attachment=True)`,
    reasonInsecure: "The requested name is joined to the reports folder without any check, so a value like ../../etc/passwd or an absolute path lets a client read any file the server can access.",
    secureCode: `import os

from flask import Flask, abort, request, send_file

app = Flask(__name__)
REPORTS_DIR = "/srv/app/reports"


@app.route("/reports/download")
def download_report():
    name = request.args.get("name", "")
    if not name:
        abort(400)
    base = os.path.realpath(REPORTS_DIR)
    path = os.path.realpath(os.path.join(base, name))
    if os.path.commonpath([base, path]) != base:
        abort(403)
    if not os.path.isfile(path):
        abort(404)
    return send_file(path, as_attachment=True)`,
    reasonSecure: "The joined path is resolved with realpath and rejected unless it still lies inside the reports folder, so traversal sequences and absolute paths are refused.",
  },
  {
    cweId: "CWE-22",
    cweTitle: "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
    packageName: "tarfile",
    instruction: "Write a function that unpacks an uploaded tar archive into a destination folder and returns the names of the regular files it contained.",
    insecureCode: `import os
import tarfile


def extract_upload(archive_path, destination):
    os.makedirs(destination, exist_ok=True)
    with tarfile.open(archive_path, "r:*") as archive:
        members = archive.getmembers()
        archive.extractall(destination)
    return [member.name for member in members if member.isfile()]


if __name__ == "__main__":
    for name in extract_upload("upload.tar.gz", "unpacked"):
        print(name)`,
    reasonInsecure: "extractall writes every member wherever its stored name points, so an archive with entries like ../../home/app/.bashrc or a symlink member can overwrite files outside the destination.",
    secureCode: `import os
import tarfile


def _is_within(base, target):
    base = os.path.realpath(base)
    return os.path.commonpath([base, os.path.realpath(target)]) == base


def extract_upload(archive_path, destination):
    os.makedirs(destination, exist_ok=True)
    with tarfile.open(archive_path, "r:*") as archive:
        members = archive.getmembers()
        for member in members:
            if member.issym() or member.islnk():
                raise ValueError(f"links are not allowed: {member.name}")
            if not _is_within(destination, os.path.join(destination, member.name)):
                raise ValueError(f"unsafe path in archive: {member.name}")
        archive.extractall(destination)
    return [member.name for member in members if member.isfile()]


if __name__ == "__main__":
    for name in extract_upload("upload.tar.gz", "unpacked"):
        print(name)`,
    reasonSecure: "Every member is checked before extraction, links are refused and each target path must resolve inside the destination folder, so the archive cannot write elsewhere.",
  },
  {
    cweId: "CWE-79",
    cweTitle: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
    packageName: "flask",
    instruction: "Create a Flask route that greets a visitor by the name given in the query string and shows how many times the page has been viewed.",
    insecureCode: `from flask import Flask, request

app = Flask(__name__)
view_count = {"total": 0}


@app.route("/hello")
def hello():
    view_count["total"] += 1
    name = request.args.get("name", "guest")
    return (
        "<html><body>"
        f"<h1>Hello, {name}!</h1>"
        f"<p>This page has been viewed {view_count['total']} times.</p>"
        "</body></html>"
    )`,
    reasonInsecure: "The name from the query string is written straight into the HTML response, so a link carrying a script tag runs JavaScript in the victim's browser.",
    secureCode: `from flask import Flask, request
from markupsafe import escape

app = Flask(__name__)
view_count = {"total": 0}


@app.route("/hello")
def hello():
    view_count["total"] += 1
    name = request.args.get("name", "guest")
    return (
        "<html><body>"
        f"<h1>Hello, {escape(name)}!</h1>"
        f"<p>This page has been viewed {view_count['total']} times.</p>"
        "</body></html>"
    )`,
    reasonSecure: "The name is passed through markupsafe.escape before it is placed in the page, so HTML special characters are rendered as text.",
  },
  {
    cweId: "CWE-79",
    cweTitle: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
    packageName: "jinja2",
    instruction: "Write a function that renders a list of user comments into an HTML fragment from a Jinja2 template string.",
    insecureCode: `from jinja2 import BaseLoader, Environment

TEMPLATE = """
<ul class="comments">
{% for comment in comments %}
  <li><strong>{{ comment.author }}</strong>: {{ comment.body }}</li>
{% endfor %}
</ul>
"""


def render_comments(comments):
    env = Environment(loader=BaseLoader(), autoescape=False)
    template = env.from_string(TEMPLATE)
    return template.render(comments=comments)


if __name__ == "__main__":
    print(render_comments([{"author": "ana", "body": "Nice post!"}]))`,
    reasonInsecure: "The Jinja2 environment is created with autoescape disabled, so comment authors and bodies containing markup are emitted as live HTML and script.",
    secureCode: `from jinja2 import BaseLoader, Environment

TEMPLATE = """
<ul class="comments">
{% for comment in comments %}
  <li><strong>{{ comment.author }}</strong>: {{ comment.body }}</li>
{% endfor %}
</ul>
"""


def render_comments(comments):
    env = Environment(loader=BaseLoader(), autoescape=True)
    template = env.from_string(TEMPLATE)
    return template.render(comments=comments)


if __name__ == "__main__":
    print(render_comments([{"author": "ana", "body": "Nice post!"}]))`,
    reasonSecure: "Autoescaping is switched on for the environment, so every value inserted by the template is HTML-escaped before rendering.",
  },
  {
    cweId: "CWE-95",
    cweTitle: "Improper Neutralization of Directives in Dynamically Evaluated Code ('Eval Injection')",
    packageName: null,
    instruction: "Write a function that reads key=value lines from a settings file and turns each value into the matching Python literal, such as a number, list or boolean.",
    insecureCode: `def load_settings(path):
    settings = {}
    with open(path, encoding="utf-8") as handle:
        for raw_line in handle:
            line = raw_line.strip()
            if not line or "=" not in line:
                continue
            key, value = line.split("=", 1)
            settings[key.strip()] = eval(value.strip())
    return settings


if __name__ == "__main__":
    config = load_settings("app.settings")
    for key, value in sorted(config.items()):
        print(key, type(value).__name__, value)`,
    reasonInsecure: "Each value from the file is handed to eval, so anyone who can edit the settings file can run arbitrary Python, for example __import__('os').system(...).",
    secureCode: `import ast


def load_settings(path):
    settings = {}
    with open(path, encoding="utf-8") as handle:
        for raw_line in handle:
            line = raw_line.strip()
            if not line or "=" not in line:
                continue
            key, value = line.split("=", 1)
            settings[key.strip()] = ast.literal_eval(value.strip())
    return settings


if __name__ == "__main__":
    config = load_settings("app.settings")
    for key, value in sorted(config.items()):
        print(key, type(value).__name__, value)`,
    reasonSecure: "ast.literal_eval accepts only literal syntax such as numbers, strings, lists and booleans, so expressions and function calls in the file are rejected.",
  },
  {
    cweId: "CWE-95",
    cweTitle: "Improper Neutralization of Directives in Dynamically Evaluated Code ('Eval Injection')",
    packageName: "flask",
    instruction: "Create a Flask endpoint that evaluates a basic arithmetic expression sent by the client and returns the result as JSON.",
    insecureCode: `from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/calc", methods=["POST"])
def calculate():
    payload = request.get_json(force=True) or {}
    expression = str(payload.get("expression", ""))
    try:
        result = eval(expression)
    except (ValueError, SyntaxError, ZeroDivisionError):
        return jsonify({"error": "invalid expression"}), 400
    return jsonify({"result": result})


if __name__ == "__main__":
    app.run(port=5000)`,
    reasonInsecure: "The client's expression is passed to eval, so a request body can call any builtin or import modules and take over the server process.",
    secureCode: `import ast
import operator

from flask import Flask, jsonify, request

app = Flask(__name__)
OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
}


def _evaluate(node):
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        return OPERATORS[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in OPERATORS:
        return OPERATORS[type(node.op)](_evaluate(node.operand))
    raise ValueError("unsupported expression")


@app.route("/calc", methods=["POST"])
def calculate():
    payload = request.get_json(force=True) or {}
    expression = str(payload.get("expression", ""))
    try:
        result = _evaluate(ast.parse(expression, mode="eval"))
    except (ValueError, SyntaxError, ZeroDivisionError):
        return jsonify({"error": "invalid expression"}), 400
    return jsonify({"result": result})


if __name__ == "__main__":
    app.run(port=5000)`,
    reasonSecure: "The expression is parsed into an AST and only number literals and the four arithmetic operators are evaluated, so anything else is rejected with a 400 response.",
  },
  {
    cweId: "CWE-94",
    cweTitle: "Improper Control of Generation of Code ('Code Injection')",
    packageName: null,
    instruction: "Write a helper that builds a getter function for a record field whose name is only known at runtime, and use it to sort a list of records by that field.",
    insecureCode: `def make_getter(field_name):
    namespace = {}
    source = f"def getter(record):\\n    return record.{field_name}\\n"
    exec(source, namespace)
    return namespace["getter"]


def sort_records(records, field_name, descending=False):
    getter = make_getter(field_name)
    return sorted(records, key=getter, reverse=descending)


if __name__ == "__main__":
    from types import SimpleNamespace

    rows = [SimpleNamespace(name="b", size=2), SimpleNamespace(name="a", size=5)]
    print([row.name for row in sort_records(rows, "size", descending=True)])`,
    reasonInsecure: "The field name is pasted into Python source that is then run with exec, so a value such as \"size or __import__('os').system('id')\" executes arbitrary code when the getter is called.",
    secureCode: `import operator


def make_getter(field_name):
    if not field_name.isidentifier() or field_name.startswith("_"):
        raise ValueError(f"invalid field name: {field_name!r}")
    return operator.attrgetter(field_name)


def sort_records(records, field_name, descending=False):
    getter = make_getter(field_name)
    return sorted(records, key=getter, reverse=descending)


if __name__ == "__main__":
    from types import SimpleNamespace

    rows = [SimpleNamespace(name="b", size=2), SimpleNamespace(name="a", size=5)]
    print([row.name for row in sort_records(rows, "size", descending=True)])`,
    reasonSecure: "No code is generated any more; the name must be a public identifier and operator.attrgetter performs the lookup, so the input can only select an attribute.",
  },
  {
    cweId: "CWE-502",
    cweTitle: "Deserialization of Untrusted Data",
    packageName: "pickle",
    instruction: "Write Flask helpers that keep a visitor's shopping cart in a cookie and read it back on later requests, with a route that adds an item.",
    insecureCode: `import base64
import pickle

from flask import Flask, make_response, request

app = Flask(__name__)


def load_cart():
    raw = request.cookies.get("cart")
    if not raw:
        return []
    return pickle.loads(base64.b64decode(raw))


@app.route("/cart/add/<item_id>")
def add_to_cart(item_id):
    cart = load_cart()
    cart.append(item_id)
    response = make_response({"items": cart})
    response.set_cookie("cart", base64.b64encode(pickle.dumps(cart)).decode("ascii"))
    return response`,
    reasonInsecure: "The cookie value is decoded with pickle.loads, and because clients control their cookies, a forged cart can make the server execute code during unpickling.",
    secureCode: `import base64
import json

from flask import Flask, make_response, request

app = Flask(__name__)


def load_cart():
    raw = request.cookies.get("cart")
    if not raw:
        return []
    cart = json.loads(base64.b64decode(raw))
    return [str(item) for item in cart] if isinstance(cart, list) else []


@app.route("/cart/add/<item_id>")
def add_to_cart(item_id):
    cart = load_cart()
    cart.append(item_id)
    response = make_response({"items": cart})
    response.set_cookie("cart", base64.b64encode(json.dumps(cart).encode("utf-8")).decode("ascii"))
    return response`,
    reasonSecure: "The cart is now stored as JSON and checked to be a list after decoding, so a tampered cookie can at most produce bad data, never run code.",
  },
  {
    cweId: "CWE-502",
    cweTitle: "Deserialization of Untrusted Data",
    packageName: "yaml",
    instruction: "Write a function that loads a deployment description from a YAML file and returns each service name with its replica count.",
    insecureCode: `import yaml


def load_services(path):
    with open(path, encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=yaml.Loader)
    services = []
    for name, spec in (document.get("services") or {}).items():
        replicas = int((spec or {}).get("replicas", 1))
        services.append((name, replicas))
    return services


if __name__ == "__main__":
    for service, count in load_services("deploy.yaml"):
        print(f"{service}: {count}")`,
    reasonInsecure: "yaml.load with the full Loader honours Python-specific tags such as !!python/object/apply, so a malicious file can construct objects and call functions while it is parsed.",
    secureCode: `import yaml


def load_services(path):
    with open(path, encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    services = []
    for name, spec in (document.get("services") or {}).items():
        replicas = int((spec or {}).get("replicas", 1))
        services.append((name, replicas))
    return services


if __name__ == "__main__":
    for service, count in load_services("deploy.yaml"):
        print(f"{service}: {count}")`,
    reasonSecure: "yaml.safe_load only builds plain types like dicts, lists, strings and numbers, so the file cannot trigger object construction or code execution.",
  },
  {
    cweId: "CWE-502",
    cweTitle: "Deserialization of Untrusted Data",
    packageName: "redis",
    instruction: "Write a worker loop that pulls job payloads from a Redis list and calls the matching handler with the job's arguments.",
    insecureCode: `import pickle

import redis

HANDLERS = {
    "resize": lambda args: print("resizing", args),
    "email": lambda args: print("emailing", args),
}


def run_worker(queue_name="jobs", host="localhost", port=6379):
    client = redis.Redis(host=host, port=port)
    while True:
        item = client.blpop(queue_name, timeout=5)
        if item is None:
            continue
        job = pickle.loads(item[1])
        handler = HANDLERS.get(job.get("type"))
        if handler is None:
            continue
        handler(job.get("args", {}))`,
    reasonInsecure: "Job payloads are unpickled as soon as they are popped, so anyone able to push to the Redis list can run arbitrary code inside the worker.",
    secureCode: `import json

import redis

HANDLERS = {
    "resize": lambda args: print("resizing", args),
    "email": lambda args: print("emailing", args),
}


def run_worker(queue_name="jobs", host="localhost", port=6379):
    client = redis.Redis(host=host, port=port)
    while True:
        item = client.blpop(queue_name, timeout=5)
        if item is None:
            continue
        job = json.loads(item[1])
        if not isinstance(job, dict):
            continue
        handler = HANDLERS.get(job.get("type"))
        if handler is None:
            continue
        handler(job.get("args", {}))`,
    reasonSecure: "Payloads are decoded as JSON and must be objects, so queue entries can only carry data and are never able to execute code when read.",
  },
  {
    cweId: "CWE-327",
    cweTitle: "Use of a Broken or Risky Cryptographic Algorithm",
    packageName: "cryptography",
    instruction: "Write functions that encrypt and decrypt short text messages with a shared secret key using the cryptography library.",
    insecureCode: `import os

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def encrypt_message(key, plaintext):
    padder = padding.PKCS7(128).padder()
    data = padder.update(plaintext.encode("utf-8")) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def decrypt_message(key, ciphertext):
    decryptor = Cipher(algorithms.AES(key), modes.ECB()).decryptor()
    data = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(data) + unpadder.finalize()).decode("utf-8")


if __name__ == "__main__":
    secret = os.urandom(32)
    print(decrypt_message(secret, encrypt_message(secret, "meet at noon")))`,
    reasonInsecure: "AES is used in ECB mode, which encrypts equal blocks to equal ciphertext and provides no integrity, so patterns leak and ciphertexts can be cut and reordered undetected.",
    secureCode: `import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def encrypt_message(key, plaintext):
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), None)


def decrypt_message(key, ciphertext):
    nonce, body = ciphertext[:12], ciphertext[12:]
    return AESGCM(key).decrypt(nonce, body, None).decode("utf-8")


if __name__ == "__main__":
    secret = os.urandom(32)
    print(decrypt_message(secret, encrypt_message(secret, "meet at noon")))`,
    reasonSecure: "Messages are now sealed with AES-GCM and a fresh random nonce, which hides repeated blocks and rejects any ciphertext that was modified.",
  },
  {
    cweId: "CWE-327",
    cweTitle: "Use of a Broken or Risky Cryptographic Algorithm",
    packageName: "ssl",
    instruction: "Write a function that opens a TLS connection to a server, sends a short request line and returns the first chunk of the reply.",
    insecureCode: `import socket
import ssl


def fetch_banner(host, port=443, request_line=b"HEAD / HTTP/1.0\\r\\n\\r\\n"):
    context = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    context.load_default_certs()
    with socket.create_connection((host, port), timeout=10) as raw_sock:
        with context.wrap_socket(raw_sock, server_hostname=host) as tls_sock:
            tls_sock.sendall(request_line)
            return tls_sock.recv(4096)


if __name__ == "__main__":
    print(fetch_banner("example.org"))`,
    reasonInsecure: "The context is pinned to TLS 1.0, a protocol version with known weaknesses, so the connection can be downgraded or attacked even though certificates are checked.",
    secureCode: `import socket
import ssl


def fetch_banner(host, port=443, request_line=b"HEAD / HTTP/1.0\\r\\n\\r\\n"):
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    with socket.create_connection((host, port), timeout=10) as raw_sock:
        with context.wrap_socket(raw_sock, server_hostname=host) as tls_sock:
            tls_sock.sendall(request_line)
            return tls_sock.recv(4096)


if __name__ == "__main__":
    print(fetch_banner("example.org"))`,
    reasonSecure: "The context comes from ssl.create_default_context with a minimum of TLS 1.2, so only current protocol versions and cipher suites are negotiated.",
  },
  {
    cweId: "CWE-328",
    cweTitle: "Use of Weak Hash",
    packageName: "hashlib",
    instruction: "Write a function that fingerprints every file in a folder so duplicate uploads can be found, returning each fingerprint that is shared by more than one path.",
    insecureCode: `import hashlib
import os


def fingerprint_file(path, chunk_size=65536):
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(chunk_size), b""):
            digest.update(chunk)
    return digest.hexdigest()


def group_duplicates(folder):
    groups = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            groups.setdefault(fingerprint_file(path), []).append(path)
    return {key: paths for key, paths in groups.items() if len(paths) > 1}`,
    reasonInsecure: "MD5 is used as the file fingerprint, and since MD5 collisions are cheap to produce, an attacker can craft two different files that are treated as the same upload.",
    secureCode: `import hashlib
import os


def fingerprint_file(path, chunk_size=65536):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(chunk_size), b""):
            digest.update(chunk)
    return digest.hexdigest()


def group_duplicates(folder):
    groups = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            groups.setdefault(fingerprint_file(path), []).append(path)
    return {key: paths for key, paths in groups.items() if len(paths) > 1}`,
    reasonSecure: "Files are now fingerprinted with SHA-256, for which no practical collision attack is known, so different contents keep distinct fingerprints.",
  },
  {
    cweId: "CWE-328",
    cweTitle: "Use of Weak Hash",
    packageName: "hashlib",
    instruction: "Write a function that downloads a release archive and checks it against the published checksum before saving it to disk.",
    insecureCode: `import hashlib

import requests


def download_release(url, expected_checksum, destination):
    response = requests.get(url, timeout=60)
    response.raise_for_status()
    data = response.content
    actual = hashlib.sha1(data).hexdigest()
    if actual != expected_checksum.lower():
        raise ValueError(f"checksum mismatch for {url}")
    with open(destination, "wb") as handle:
        handle.write(data)
    return len(data)


if __name__ == "__main__":
    print(download_release("https://example.org/tool-1.2.tar.gz", "0" * 40, "tool.tar.gz"))`,
    reasonInsecure: "The archive is verified with SHA-1, whose collision resistance is broken, so a prepared malicious archive can match the checksum of a legitimate one.",
    secureCode: `import hashlib
import hmac

import requests


def download_release(url, expected_checksum, destination):
    response = requests.get(url, timeout=60)
    response.raise_for_status()
    data = response.content
    actual = hashlib.sha256(data).hexdigest()
    if not hmac.compare_digest(actual, expected_checksum.lower()):
        raise ValueError(f"checksum mismatch for {url}")
    with open(destination, "wb") as handle:
        handle.write(data)
    return len(data)


if __name__ == "__main__":
    print(download_release("https://example.org/tool-1.2.tar.gz", "0" * 64, "tool.tar.gz"))`,
    reasonSecure: "The check now uses SHA-256 and a constant-time comparison, so a substituted archive cannot be made to pass verification.",
  },
  {
    cweId: "CWE-916",
    cweTitle: "Use of Password Hash With Insufficient Computational Effort",
    packageName: "hashlib",
    instruction: "Write functions that turn a new user's password into a value for storage and check a login attempt against that stored value.",
    insecureCode: `import hashlib
import hmac
import os


def hash_password(password):
    salt = os.urandom(16).hex()
    digest = hashlib.md5((salt + password).encode("utf-8")).hexdigest()
    return f"{salt}\${digest}"


def check_password(password, stored):
    salt, digest = stored.split("$", 1)
    candidate = hashlib.md5((salt + password).encode("utf-8")).hexdigest()
    return hmac.compare_digest(candidate, digest)


if __name__ == "__main__":
    record = hash_password("correct horse")
    print(check_password("correct horse", record))`,
    reasonInsecure: "Passwords are stored as a single salted MD5 digest, which GPUs can compute billions of times per second, so leaked hashes are quickly brute-forced.",
    secureCode: `import hashlib
import hmac
import os

ITERATIONS = 600_000


def hash_password(password):
    salt = os.urandom(16).hex()
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), ITERATIONS).hex()
    return f"{salt}\${digest}"


def check_password(password, stored):
    salt, digest = stored.split("$", 1)
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), ITERATIONS).hex()
    return hmac.compare_digest(candidate, digest)


if __name__ == "__main__":
    record = hash_password("correct horse")
    print(check_password("correct horse", record))`,
    reasonSecure: "The password is now stretched with PBKDF2-HMAC-SHA256 over many iterations, making each guess expensive for anyone who steals the stored values.",
  },
  {
    cweId: "CWE-330",
    cweTitle: "Use of Insufficiently Random Values",
    packageName: "random",
    instruction: "Write a function that issues a password reset token for a user with a one-hour expiry, and another that redeems a token and returns the user id.",
    insecureCode: `import random
import string
import time

RESET_TOKENS = {}
TOKEN_TTL_SECONDS = 3600


def create_reset_token(user_id, length=32):
    alphabet = string.ascii_letters + string.digits
    token = "".join(random.choice(alphabet) for _ in range(length))
    RESET_TOKENS[token] = (user_id, time.time() + TOKEN_TTL_SECONDS)
    return token


def consume_reset_token(token):
    entry = RESET_TOKENS.pop(token, None)
    if entry is None:
        return None
    user_id, expires_at = entry
    if time.time() > expires_at:
        return None
    return user_id`,
    reasonInsecure: "The token characters come from the random module, whose Mersenne Twister output can be reconstructed from observed values, so reset tokens for other accounts can be predicted.",
    secureCode: `import secrets
import string
import time

RESET_TOKENS = {}
TOKEN_TTL_SECONDS = 3600


def create_reset_token(user_id, length=32):
    alphabet = string.ascii_letters + string.digits
    token = "".join(secrets.choice(alphabet) for _ in range(length))
    RESET_TOKENS[token] = (user_id, time.time() + TOKEN_TTL_SECONDS)
    return token


def consume_reset_token(token):
    entry = RESET_TOKENS.pop(token, None)
    if entry is None:
        return None
    user_id, expires_at = entry
    if time.time() > expires_at:
        return None
    return user_id`,
    reasonSecure: "Tokens are now drawn with secrets.choice, which uses the operating system's cryptographic generator, so they cannot be predicted from earlier tokens.",
  },
  {
    cweId: "CWE-338",
    cweTitle: "Use of Cryptographically Weak Pseudo-Random Number Generator (PRNG)",
    packageName: "random",
    instruction: "Write a function that creates a six-digit one-time sign-in code for a phone number and a function that checks a code the user submits.",
    insecureCode: `import hmac
import random
import time

PENDING_CODES = {}


def issue_code(phone_number):
    code = f"{random.randint(0, 999999):06d}"
    PENDING_CODES[phone_number] = (code, time.time() + 300)
    return code


def verify_code(phone_number, submitted):
    code, expires_at = PENDING_CODES.get(phone_number, (None, 0))
    if code is None or time.time() > expires_at:
        return False
    if hmac.compare_digest(code, str(submitted)):
        del PENDING_CODES[phone_number]
        return True
    return False`,
    reasonInsecure: "random.randint is a statistical generator that is not meant for secrets, so an attacker who sees some codes can work out the generator state and guess upcoming ones.",
    secureCode: `import hmac
import secrets
import time

PENDING_CODES = {}


def issue_code(phone_number):
    code = f"{secrets.randbelow(1_000_000):06d}"
    PENDING_CODES[phone_number] = (code, time.time() + 300)
    return code


def verify_code(phone_number, submitted):
    code, expires_at = PENDING_CODES.get(phone_number, (None, 0))
    if code is None or time.time() > expires_at:
        return False
    if hmac.compare_digest(code, str(submitted)):
        del PENDING_CODES[phone_number]
        return True
    return False`,
    reasonSecure: "The code is now produced with secrets.randbelow, which is backed by a cryptographically secure source, so issued codes are unpredictable.",
  },
  {
    cweId: "CWE-295",
    cweTitle: "Improper Certificate Validation",
    packageName: "requests",
    instruction: "Write a function that pages through a billing API's open invoices with a bearer token and returns all of them as Python objects.",
    insecureCode: `import requests

API_BASE = "https://billing.internal.example.com/api/v2"


def fetch_open_invoices(api_token, page_size=50):
    invoices = []
    url = f"{API_BASE}/invoices"
    params = {"status": "open", "limit": page_size}
    headers = {"Authorization": f"Bearer {api_token}"}
    while url:
        response = requests.get(url, params=params, headers=headers, timeout=15, verify=False)
        response.raise_for_status()
        body = response.json()
        invoices.extend(body.get("items", []))
        url = body.get("next")
        params = None
    return invoices`,
    reasonInsecure: "Every request is sent with verify=False, so the client accepts any certificate and a network attacker can impersonate the API and capture the bearer token.",
    secureCode: `import requests

API_BASE = "https://billing.internal.example.com/api/v2"


def fetch_open_invoices(api_token, page_size=50):
    invoices = []
    url = f"{API_BASE}/invoices"
    params = {"status": "open", "limit": page_size}
    headers = {"Authorization": f"Bearer {api_token}"}
    while url:
        response = requests.get(url, params=params, headers=headers, timeout=15, verify=True)
        response.raise_for_status()
        body = response.json()
        invoices.extend(body.get("items", []))
        url = body.get("next")
        params = None
    return invoices`,
    reasonSecure: "Certificate verification is left enabled, so requests only talks to a server that presents a valid certificate for the API host.",
  },
  {
    cweId: "CWE-295",
    cweTitle: "Improper Certificate Validation",
    packageName: "paramiko",
    instruction: "Write a function that connects to a server over SSH with a private key, downloads one file through SFTP and returns its size.",
    insecureCode: `import paramiko


def download_file(host, username, key_path, remote_path, local_path):
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy)
    client.connect(hostname=host, username=username, key_filename=key_path, timeout=10)
    try:
        sftp = client.open_sftp()
        try:
            sftp.get(remote_path, local_path)
            return sftp.stat(remote_path).st_size
        finally:
            sftp.close()
    finally:
        client.close()`,
    reasonInsecure: "AutoAddPolicy silently trusts whatever host key the server presents, so on a first or hijacked connection a man-in-the-middle can pose as the server.",
    secureCode: `import paramiko


def download_file(host, username, key_path, remote_path, local_path):
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.set_missing_host_key_policy(paramiko.RejectPolicy)
    client.connect(hostname=host, username=username, key_filename=key_path, timeout=10)
    try:
        sftp = client.open_sftp()
        try:
            sftp.get(remote_path, local_path)
            return sftp.stat(remote_path).st_size
        finally:
            sftp.close()
    finally:
        client.close()`,
    reasonSecure: "Known host keys are loaded from the system and RejectPolicy refuses unknown keys, so the client only connects to servers it has already verified.",
  },
  {
    cweId: "CWE-319",
    cweTitle: "Cleartext Transmission of Sensitive Information",
    packageName: "smtplib",
    instruction: "Write a function that sends a plain-text notification email through the company SMTP server after logging in with an account's credentials.",
    insecureCode: `import smtplib
from email.message import EmailMessage


def send_notification(smtp_host, username, password, recipient, subject, body):
    message = EmailMessage()
    message["From"] = username
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(smtp_host, 587, timeout=20) as server:
        server.ehlo()
        server.login(username, password)
        server.send_message(message)
    return True`,
    reasonInsecure: "The session logs in and sends mail without upgrading to TLS, so the account password and the message cross the network in cleartext.",
    secureCode: `import smtplib
import ssl
from email.message import EmailMessage


def send_notification(smtp_host, username, password, recipient, subject, body):
    message = EmailMessage()
    message["From"] = username
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(smtp_host, 587, timeout=20) as server:
        server.ehlo()
        server.starttls(context=ssl.create_default_context())
        server.ehlo()
        server.login(username, password)
        server.send_message(message)
    return True`,
    reasonSecure: "The connection is upgraded with starttls using a verifying default context before login, so credentials and content travel encrypted.",
  },
  {
    cweId: "CWE-319",
    cweTitle: "Cleartext Transmission of Sensitive Information",
    packageName: "requests",
    instruction: "Write a client function that signs in to the inventory service with a username and password and returns the session token it hands back.",
    insecureCode: `import requests

AUTH_URL = "http://inventory.example.com/api/login"


def login(username, password):
    response = requests.post(
        AUTH_URL,
        json={"username": username, "password": password},
        timeout=10,
    )
    response.raise_for_status()
    session_token = response.json().get("token")
    if not session_token:
        raise RuntimeError("login failed: no token in response")
    return session_token`,
    reasonInsecure: "The login endpoint is addressed over plain http, so the username, password and returned session token can be read by anyone on the network path.",
    secureCode: `import requests

AUTH_URL = "https://inventory.example.com/api/login"


def login(username, password):
    response = requests.post(
        AUTH_URL,
        json={"username": username, "password": password},
        timeout=10,
    )
    response.raise_for_status()
    session_token = response.json().get("token")
    if not session_token:
        raise RuntimeError("login failed: no token in response")
    return session_token`,
    reasonSecure: "The endpoint now uses https, so the credentials and token are protected by TLS with certificate verification.",
  },
  {
    cweId: "CWE-798",
    cweTitle: "Use of Hard-coded Credentials",
    packageName: "psycopg2",
    instruction: "Write a function that connects to the orders PostgreSQL database and returns how many orders were placed today.",
    insecureCode: `import psycopg2

DB_HOST = "db.internal.example.com"
DB_NAME = "orders"
DB_USER = "orders_app"
DB_PASSWORD = "Winter2024!"


def count_orders_today():
    connection = psycopg2.connect(
        host=DB_HOST,
        dbname=DB_NAME,
        user=DB_USER,
        password=DB_PASSWORD,
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM orders WHERE created_at::date = CURRENT_DATE")
            return cursor.fetchone()[0]
    finally:
        connection.close()`,
    reasonInsecure: "The database password is written into the source as a constant, so anyone with access to the code or its history can log in, and rotating it needs a code change.",
    secureCode: `import os

import psycopg2

DB_HOST = "db.internal.example.com"
DB_NAME = "orders"
DB_USER = "orders_app"
DB_PASSWORD = os.environ["DB_PASSWORD"]


def count_orders_today():
    connection = psycopg2.connect(
        host=DB_HOST,
        dbname=DB_NAME,
        user=DB_USER,
        password=DB_PASSWORD,
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM orders WHERE created_at::date = CURRENT_DATE")
            return cursor.fetchone()[0]
    finally:
        connection.close()`,
    reasonSecure: "The password is read from the DB_PASSWORD environment variable at run time, keeping the secret out of the source tree.",
  },
  {
    cweId: "CWE-798",
    cweTitle: "Use of Hard-coded Credentials",
    packageName: "requests",
    instruction: "Write a function that posts a short message to the team chat service's API and returns the id of the created message.",
    insecureCode: `import requests

SERVICE_URL = "https://chat.example.com/api/messages"
SERVICE_TOKEN = "demo-bot-3f9a2c71d0e84b5a"


def post_message(channel, text):
    response = requests.post(
        SERVICE_URL,
        headers={"Authorization": f"Bearer {SERVICE_TOKEN}"},
        json={"channel": channel, "text": text},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["id"]


if __name__ == "__main__":
    print(post_message("deployments", "Release 1.4 is live"))`,
    reasonInsecure: "The service token is embedded in the module as a string literal, so it leaks with every copy of the code and cannot be revoked without redeploying.",
    secureCode: `import os

import requests

SERVICE_URL = "https://chat.example.com/api/messages"
SERVICE_TOKEN = os.environ.get("CHAT_SERVICE_TOKEN")


def post_message(channel, text):
    if not SERVICE_TOKEN:
        raise RuntimeError("CHAT_SERVICE_TOKEN is not set")
    response = requests.post(
        SERVICE_URL,
        headers={"Authorization": f"Bearer {SERVICE_TOKEN}"},
        json={"channel": channel, "text": text},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["id"]


if __name__ == "__main__":
    print(post_message("deployments", "Release 1.4 is live"))`,
    reasonSecure: "The token is taken from the environment and the function fails early when it is missing, so no credential is stored in the code.",
  },
  {
    cweId: "CWE-776",
    cweTitle: "Improper Restriction of Recursive Entity References in DTDs ('XML Entity Expansion')",
    packageName: "xml.etree.ElementTree",
    instruction: "Write a function that parses an uploaded XML product feed and returns the SKU, name and price of every product in it.",
    insecureCode: `import xml.etree.ElementTree as ET


def parse_product_feed(xml_bytes):
    root = ET.fromstring(xml_bytes)
    products = []
    for item in root.iter("product"):
        products.append(
            {
                "sku": item.findtext("sku", default="").strip(),
                "name": item.findtext("name", default="").strip(),
                "price": float(item.findtext("price", default="0")),
            }
        )
    return products`,
    reasonInsecure: "The untrusted feed is parsed with the standard ElementTree parser, which expands entity declarations, so a small document with nested entities can balloon in memory and take the service down.",
    secureCode: `import defusedxml.ElementTree as ET


def parse_product_feed(xml_bytes):
    root = ET.fromstring(xml_bytes)
    products = []
    for item in root.iter("product"):
        products.append(
            {
                "sku": item.findtext("sku", default="").strip(),
                "name": item.findtext("name", default="").strip(),
                "price": float(item.findtext("price", default="0")),
            }
        )
    return products`,
    reasonSecure: "The feed is parsed with defusedxml's ElementTree, which refuses entity declarations and similar DTD tricks while keeping the same API.",
  },
  {
    cweId: "CWE-611",
    cweTitle: "Improper Restriction of XML External Entity Reference",
    packageName: "lxml",
    instruction: "Write a function that reads an uploaded invoice XML file and returns the invoice number and the list of line-item amounts.",
    insecureCode: `from lxml import etree


def read_invoice(path):
    parser = etree.XMLParser(load_dtd=True, resolve_entities=True)
    tree = etree.parse(path, parser)
    root = tree.getroot()
    number = root.findtext("number", default="").strip()
    amounts = []
    for line in root.iter("line"):
        amounts.append(float(line.findtext("amount", default="0")))
    return {"number": number, "amounts": amounts, "total": sum(amounts)}


if __name__ == "__main__":
    print(read_invoice("invoice.xml"))`,
    reasonInsecure: "The parser is told to load DTDs and resolve entities, so an uploaded document can declare an external entity that pulls local files such as /etc/passwd or internal URLs into the result.",
    secureCode: `import defusedxml.ElementTree as etree


def read_invoice(path):
    tree = etree.parse(path, forbid_dtd=True)
    root = tree.getroot()
    number = root.findtext("number", default="").strip()
    amounts = []
    for line in root.iter("line"):
        amounts.append(float(line.findtext("amount", default="0")))
    return {"number": number, "amounts": amounts, "total": sum(amounts)}


if __name__ == "__main__":
    print(read_invoice("invoice.xml"))`,
    reasonSecure: "The file is now parsed with defusedxml with DTDs forbidden, so a document that declares entities is rejected before any external reference can be fetched.",
  },
  {
    cweId: "CWE-918",
    cweTitle: "Server-Side Request Forgery (SSRF)",
    packageName: "requests",
    instruction: "Create a Flask endpoint that fetches a web page whose URL is supplied by the client and returns the page's title as a link preview.",
    insecureCode: `import re

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
TITLE_PATTERN = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@app.route("/preview")
def preview():
    url = request.args.get("url", "")
    if not url.startswith(("http://", "https://")):
        return jsonify({"error": "unsupported url"}), 400
    response = requests.get(url, timeout=5)
    match = TITLE_PATTERN.search(response.text[:100000])
    title = match.group(1).strip() if match else None
    return jsonify({"url": url, "status": response.status_code, "title": title})`,
    reasonInsecure: "The server requests any http or https URL it is given, so a client can make it reach internal-only hosts such as cloud metadata endpoints or admin panels.",
    secureCode: `import ipaddress
import re
import socket
from urllib.parse import urlparse

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
TITLE_PATTERN = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _is_public_host(hostname):
    try:
        infos = socket.getaddrinfo(hostname, None)
    except socket.gaierror:
        return False
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


@app.route("/preview")
def preview():
    url = request.args.get("url", "")
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname or not _is_public_host(parsed.hostname):
        return jsonify({"error": "unsupported url"}), 400
    response = requests.get(url, timeout=5, allow_redirects=False)
    match = TITLE_PATTERN.search(response.text[:100000])
    title = match.group(1).strip() if match else None
    return jsonify({"url": url, "status": response.status_code, "title": title})`,
    reasonSecure: "The host is resolved first and the request is refused unless every address is public, and redirects are not followed, so the endpoint cannot be pointed at internal services.",
  },
  {
    cweId: "CWE-601",
    cweTitle: "URL Redirection to Untrusted Site ('Open Redirect')",
    packageName: "flask",
    instruction: "Create a Flask login route that signs the user in and then sends them back to the page named in the next query parameter.",
    insecureCode: `import os

from flask import Flask, redirect, request, session, url_for

from accounts import verify_credentials

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]


@app.route("/login", methods=["POST"])
def login():
    username = request.form.get("username", "")
    if not verify_credentials(username, request.form.get("password", "")):
        return redirect(url_for("login_form", error="1"))
    session["user"] = username
    next_url = request.args.get("next") or url_for("dashboard")
    return redirect(next_url)`,
    reasonInsecure: "The next parameter is used as the redirect target without checks, so a phishing link can log the victim in and then bounce them to an attacker's look-alike site.",
    secureCode: `import os
from urllib.parse import urlparse

from flask import Flask, redirect, request, session, url_for

from accounts import verify_credentials

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]


def _is_local_target(target):
    parsed = urlparse(target)
    return not parsed.scheme and not parsed.netloc and target.startswith("/") and not target.startswith("//") and "\\\\" not in target


@app.route("/login", methods=["POST"])
def login():
    username = request.form.get("username", "")
    if not verify_credentials(username, request.form.get("password", "")):
        return redirect(url_for("login_form", error="1"))
    session["user"] = username
    next_url = request.args.get("next")
    if not next_url or not _is_local_target(next_url):
        next_url = url_for("dashboard")
    return redirect(next_url)`,
    reasonSecure: "The target is accepted only when it is a relative path on the same site, otherwise the user goes to the dashboard, so external redirects are no longer possible.",
  },
  {
    cweId: "CWE-377",
    cweTitle: "Insecure Temporary File",
    packageName: "tempfile",
    instruction: "Write a function that writes generated report rows to a temporary CSV file and returns the file's path so it can be uploaded later.",
    insecureCode: `import csv
import tempfile


def write_report(rows, header=("date", "region", "total")):
    path = tempfile.mktemp(suffix=".csv", prefix="report_")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
    return path


if __name__ == "__main__":
    print(write_report([("2024-05-01", "north", 1200), ("2024-05-01", "south", 870)]))`,
    reasonInsecure: "tempfile.mktemp only returns a name, and another local process can create that file or a symlink there before it is opened, hijacking or redirecting the write.",
    secureCode: `import csv
import os
import tempfile


def write_report(rows, header=("date", "region", "total")):
    fd, path = tempfile.mkstemp(suffix=".csv", prefix="report_")
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
    return path


if __name__ == "__main__":
    print(write_report([("2024-05-01", "north", 1200), ("2024-05-01", "south", 870)]))`,
    reasonSecure: "tempfile.mkstemp creates and opens the file atomically with owner-only permissions, so no other process can claim the path first.",
  },
  {
    cweId: "CWE-732",
    cweTitle: "Incorrect Permission Assignment for Critical Resource",
    packageName: "os",
    instruction: "Write a function that saves an application's client id and client secret to a JSON file in the user's configuration directory and returns the file path.",
    insecureCode: `import json
import os


def save_credentials(client_id, client_secret, config_dir="~/.config/inventory"):
    directory = os.path.expanduser(config_dir)
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "credentials.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"client_id": client_id, "client_secret": client_secret}, handle)
    os.chmod(path, 0o777)
    return path


if __name__ == "__main__":
    print(save_credentials("inventory-cli", os.environ.get("INVENTORY_SECRET", "")))`,
    reasonInsecure: "The credentials file is made readable and writable by every user on the machine, so other local accounts can steal or replace the client secret.",
    secureCode: `import json
import os


def save_credentials(client_id, client_secret, config_dir="~/.config/inventory"):
    directory = os.path.expanduser(config_dir)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    path = os.path.join(directory, "credentials.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"client_id": client_id, "client_secret": client_secret}, handle)
    os.chmod(path, 0o600)
    return path


if __name__ == "__main__":
    print(save_credentials("inventory-cli", os.environ.get("INVENTORY_SECRET", "")))`,
    reasonSecure: "The directory is created for the owner only and the file is set to mode 0o600, so only the owning user can read or change the secret.",
  },
  {
    cweId: "CWE-400",
    cweTitle: "Uncontrolled Resource Consumption",
    packageName: "requests",
    instruction: "Write a function that streams a file from a URL to a local path and returns the number of bytes written.",
    insecureCode: `import requests


def download(url, destination, chunk_size=8192):
    written = 0
    with requests.get(url, stream=True) as response:
        response.raise_for_status()
        with open(destination, "wb") as handle:
            for chunk in response.iter_content(chunk_size=chunk_size):
                handle.write(chunk)
                written += len(chunk)
    return written


if __name__ == "__main__":
    print(download("https://example.org/data.csv", "data.csv"))`,
    reasonInsecure: "The download has no timeout and no size limit, so a slow or endless response can hold the worker forever or fill the disk.",
    secureCode: `import requests

MAX_BYTES = 100 * 1024 * 1024


def download(url, destination, chunk_size=8192):
    written = 0
    with requests.get(url, stream=True, timeout=(5, 30)) as response:
        response.raise_for_status()
        with open(destination, "wb") as handle:
            for chunk in response.iter_content(chunk_size=chunk_size):
                written += len(chunk)
                if written > MAX_BYTES:
                    raise ValueError("download exceeds the size limit")
                handle.write(chunk)
    return written


if __name__ == "__main__":
    print(download("https://example.org/data.csv", "data.csv"))`,
    reasonSecure: "The request now has connect and read timeouts and the download stops once a maximum size is exceeded, so one bad server cannot exhaust the worker's time or disk.",
  },
  {
    cweId: "CWE-209",
    cweTitle: "Generation of Error Message Containing Sensitive Information",
    packageName: "flask",
    instruction: "Create a Flask endpoint that returns an order by its id as JSON and tells the caller when loading the order fails.",
    insecureCode: `import traceback

from flask import Flask, jsonify

from storage import get_order

app = Flask(__name__)


@app.route("/orders/<int:order_id>")
def show_order(order_id):
    try:
        order = get_order(order_id)
    except Exception as exc:
        return jsonify({"error": str(exc), "trace": traceback.format_exc()}), 500
    if order is None:
        return jsonify({"error": "not found"}), 404
    return jsonify(order)`,
    reasonInsecure: "On failure the response carries the exception text and full traceback, revealing file paths, queries and library versions that help an attacker plan further attacks.",
    secureCode: `import logging

from flask import Flask, jsonify

from storage import get_order

app = Flask(__name__)
logger = logging.getLogger(__name__)


@app.route("/orders/<int:order_id>")
def show_order(order_id):
    try:
        order = get_order(order_id)
    except Exception:
        logger.exception("failed to load order %s", order_id)
        return jsonify({"error": "internal error"}), 500
    if order is None:
        return jsonify({"error": "not found"}), 404
    return jsonify(order)`,
    reasonSecure: "The details are written to the server log and the client only receives a generic error message, so internals stay private.",
  },
  {
    cweId: "CWE-489",
    cweTitle: "Flask application run in debug mode",
    packageName: "flask",
    instruction: "Create a small Flask service with a health-check route and a route that lists the enabled feature flags, and start the server when the module is run directly.",
    insecureCode: `import os

from flask import Flask, jsonify

app = Flask(__name__)
FEATURES = {"new_checkout": True, "beta_search": False}


@app.route("/health")
def health():
    return jsonify({"status": "ok"})


@app.route("/features")
def features():
    return jsonify(sorted(name for name, enabled in FEATURES.items() if enabled))


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8000")), debug=True)`,
    reasonInsecure: "The app is started with debug=True, which turns on the Werkzeug debugger so any error page offers an interactive Python console to whoever can reach the server.",
    secureCode: `import os

from flask import Flask, jsonify

app = Flask(__name__)
FEATURES = {"new_checkout": True, "beta_search": False}


@app.route("/health")
def health():
    return jsonify({"status": "ok"})


@app.route("/features")
def features():
    return jsonify(sorted(name for name, enabled in FEATURES.items() if enabled))


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8000")), debug=False)`,
    reasonSecure: "Debug mode is switched off, so errors produce a plain 500 response and no interactive debugger is exposed.",
  },
  {
    cweId: "CWE-1327",
    cweTitle: "Binding to an Unrestricted IP Address",
    packageName: "socketserver",
    instruction: "Write a small threaded TCP echo server for local testing that listens on a configurable port and sends every received line back.",
    insecureCode: `import socketserver


class EchoHandler(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(line)


def serve(port=9000):
    with socketserver.ThreadingTCPServer(("0.0.0.0", port), EchoHandler) as server:
        server.serve_forever()


if __name__ == "__main__":
    serve()`,
    reasonInsecure: "The server binds to 0.0.0.0, so this test-only service is reachable from every network the machine is attached to.",
    secureCode: `import socketserver


class EchoHandler(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(line)


def serve(port=9000):
    with socketserver.ThreadingTCPServer(("127.0.0.1", port), EchoHandler) as server:
        server.serve_forever()


if __name__ == "__main__":
    serve()`,
    reasonSecure: "The server now binds to the loopback address, so only processes on the same machine can connect.",
  },
  {
    cweId: "CWE-20",
    cweTitle: "Improper Input Validation",
    packageName: "flask",
    instruction: "Create a Flask endpoint that adds a quantity of a product to the caller's session cart and returns the updated line total.",
    insecureCode: `from flask import Flask, jsonify, request, session

from catalog import get_price

app = Flask(__name__)


@app.route("/cart/items", methods=["POST"])
def add_item():
    payload = request.get_json(force=True) or {}
    product_id = str(payload.get("product_id", ""))
    quantity = int(payload.get("quantity", 1))
    price = get_price(product_id)
    if price is None:
        return jsonify({"error": "unknown product"}), 404
    cart = session.setdefault("cart", {})
    cart[product_id] = cart.get(product_id, 0) + quantity
    session.modified = True
    return jsonify({"product_id": product_id, "quantity": cart[product_id], "line_total": price * cart[product_id]})`,
    reasonInsecure: "The quantity is converted with int but never range-checked, so a negative or huge number produces negative totals or absurd orders, and a non-numeric value crashes the handler.",
    secureCode: `from flask import Flask, jsonify, request, session

from catalog import get_price

app = Flask(__name__)


@app.route("/cart/items", methods=["POST"])
def add_item():
    payload = request.get_json(force=True) or {}
    product_id = str(payload.get("product_id", ""))
    try:
        quantity = int(payload.get("quantity", 1))
    except (TypeError, ValueError):
        return jsonify({"error": "quantity must be a whole number"}), 400
    if not 1 <= quantity <= 100:
        return jsonify({"error": "quantity must be between 1 and 100"}), 400
    price = get_price(product_id)
    if price is None:
        return jsonify({"error": "unknown product"}), 404
    cart = session.setdefault("cart", {})
    cart[product_id] = cart.get(product_id, 0) + quantity
    session.modified = True
    return jsonify({"product_id": product_id, "quantity": cart[product_id], "line_total": price * cart[product_id]})`,
    reasonSecure: "The quantity must parse as an integer between 1 and 100 or the request is rejected with a 400 response.",
  },
  {
    cweId: "CWE-90",
    cweTitle: "Improper Neutralization of Special Elements used in an LDAP Query ('LDAP Injection')",
    packageName: "ldap3",
    instruction: "Write a function that looks up a directory user by login name with ldap3 and returns their display name and email address.",
    insecureCode: `from ldap3 import ALL, Connection, Server

LDAP_URL = "ldaps://ldap.example.com"
BASE_DN = "ou=people,dc=example,dc=com"


def find_user(bind_dn, bind_password, login):
    server = Server(LDAP_URL, get_info=ALL)
    with Connection(server, user=bind_dn, password=bind_password, auto_bind=True) as conn:
        conn.search(
            BASE_DN,
            f"(&(objectClass=person)(uid={login}))",
            attributes=["displayName", "mail"],
        )
        if not conn.entries:
            return None
        entry = conn.entries[0]
        return {"name": str(entry.displayName), "email": str(entry.mail)}`,
    reasonInsecure: "The login is inserted into the search filter unescaped, so input such as *)(uid=* widens the filter and can enumerate or match other directory entries.",
    secureCode: `from ldap3 import ALL, Connection, Server
from ldap3.utils.conv import escape_filter_chars

LDAP_URL = "ldaps://ldap.example.com"
BASE_DN = "ou=people,dc=example,dc=com"


def find_user(bind_dn, bind_password, login):
    server = Server(LDAP_URL, get_info=ALL)
    with Connection(server, user=bind_dn, password=bind_password, auto_bind=True) as conn:
        conn.search(
            BASE_DN,
            f"(&(objectClass=person)(uid={escape_filter_chars(login)}))",
            attributes=["displayName", "mail"],
        )
        if not conn.entries:
            return None
        entry = conn.entries[0]
        return {"name": str(entry.displayName), "email": str(entry.mail)}`,
    reasonSecure: "The login is passed through escape_filter_chars before it goes into the filter, so parentheses, asterisks and backslashes are matched literally.",
  },
  {
    cweId: "CWE-643",
    cweTitle: "Improper Neutralization of Data within XPath Expressions ('XPath Injection')",
    packageName: "lxml",
    instruction: "Write a function that finds a book in an XML catalog by its exact title and returns its title, author, year and ISBN.",
    insecureCode: `from lxml import etree


def find_book(catalog_path, title):
    tree = etree.parse(catalog_path)
    matches = tree.xpath(f"//book[title='{title}']")
    if not matches:
        return None
    book = matches[0]
    return {
        "title": book.findtext("title"),
        "author": book.findtext("author"),
        "year": int(book.findtext("year") or 0),
        "isbn": book.get("isbn"),
    }`,
    reasonInsecure: "The title is concatenated into the XPath expression, so a value like ' or '1'='1 changes the query and returns records the caller did not ask for.",
    secureCode: `from lxml import etree


def find_book(catalog_path, title):
    tree = etree.parse(catalog_path)
    matches = tree.xpath("//book[title=$title]", title=title)
    if not matches:
        return None
    book = matches[0]
    return {
        "title": book.findtext("title"),
        "author": book.findtext("author"),
        "year": int(book.findtext("year") or 0),
        "isbn": book.get("isbn"),
    }`,
    reasonSecure: "The title is supplied as an XPath variable ($title) instead of being pasted into the expression, so it is always compared as a plain string.",
  },
  {
    cweId: "CWE-1333",
    cweTitle: "Inefficient Regular Expression Complexity",
    packageName: "re",
    instruction: "Write a function that checks an email address submitted on a signup form and returns it with the domain in lower case, plus a helper that collects form errors.",
    insecureCode: `import re

EMAIL_PATTERN = re.compile(r"^([a-zA-Z0-9]+[._-]?)*[a-zA-Z0-9]+@([a-zA-Z0-9-]+\\.)+[a-zA-Z]{2,}$")


def normalize_email(raw):
    candidate = raw.strip()
    if not EMAIL_PATTERN.match(candidate):
        raise ValueError("invalid email address")
    local, domain = candidate.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def validate_signup(form):
    errors = {}
    try:
        form["email"] = normalize_email(form.get("email", ""))
    except ValueError as exc:
        errors["email"] = str(exc)
    return errors`,
    reasonInsecure: "The pattern nests a repeated group inside another repetition, so a long run of letters followed by an invalid character makes the regex engine backtrack exponentially and hang the request.",
    secureCode: `import re

EMAIL_PATTERN = re.compile(r"^[a-zA-Z0-9._-]+@[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*\\.[a-zA-Z]{2,}$")


def normalize_email(raw):
    candidate = raw.strip()
    if len(candidate) > 254 or not EMAIL_PATTERN.match(candidate):
        raise ValueError("invalid email address")
    local, domain = candidate.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def validate_signup(form):
    errors = {}
    try:
        form["email"] = normalize_email(form.get("email", ""))
    except ValueError as exc:
        errors["email"] = str(exc)
    return errors`,
    reasonSecure: "The pattern is rewritten without nested repetition and input longer than 254 characters is rejected first, so matching time stays small for any input.",
  },
  {
    cweId: "CWE-915",
    cweTitle: "Improperly Controlled Modification of Dynamically-Determined Object Attributes",
    packageName: "flask",
    instruction: "Create a Flask endpoint that lets a signed-in user update their own profile from the fields in a JSON request body.",
    insecureCode: `from flask import Flask, jsonify, request, session

from models import User, db

app = Flask(__name__)


@app.route("/profile", methods=["PATCH"])
def update_profile():
    user = User.query.get_or_404(session["user_id"])
    payload = request.get_json(force=True) or {}
    for field, value in payload.items():
        setattr(user, field, value)
    db.session.commit()
    return jsonify({"id": user.id, "display_name": user.display_name, "bio": user.bio, "is_admin": user.is_admin})`,
    reasonInsecure: "Every key in the request body is copied onto the user model with setattr, so a user can send is_admin or other protected fields and grant themselves privileges.",
    secureCode: `from flask import Flask, jsonify, request, session

from models import User, db

app = Flask(__name__)
EDITABLE_FIELDS = {"display_name", "bio", "timezone"}


@app.route("/profile", methods=["PATCH"])
def update_profile():
    user = User.query.get_or_404(session["user_id"])
    payload = request.get_json(force=True) or {}
    for field, value in payload.items():
        if field in EDITABLE_FIELDS:
            setattr(user, field, value)
    db.session.commit()
    return jsonify({"id": user.id, "display_name": user.display_name, "bio": user.bio, "is_admin": user.is_admin})`,
    reasonSecure: "Only fields named in an explicit allowlist are copied from the body, so protected attributes such as is_admin cannot be changed through this endpoint.",
  },
  {
    cweId: "CWE-703",
    cweTitle: "Improper Check or Handling of Exceptional Conditions",
    packageName: null,
    instruction: "Write a function that deletes a stored document on behalf of a user, allowing it only when the user owns the document or is an administrator.",
    insecureCode: `from storage import documents


class PermissionDenied(Exception):
    pass


def delete_document(user, document_id):
    document = documents.get(document_id)
    if document is None:
        raise KeyError(document_id)
    assert user.is_admin or document.owner_id == user.id, "not allowed"
    documents.delete(document_id)
    return {"deleted": document_id, "by": user.id}`,
    reasonInsecure: "The permission rule is written as an assert, and asserts are stripped when Python runs with -O, so in optimized deployments anyone can delete any document.",
    secureCode: `from storage import documents


class PermissionDenied(Exception):
    pass


def delete_document(user, document_id):
    document = documents.get(document_id)
    if document is None:
        raise KeyError(document_id)
    if not (user.is_admin or document.owner_id == user.id):
        raise PermissionDenied("not allowed")
    documents.delete(document_id)
    return {"deleted": document_id, "by": user.id}`,
    reasonSecure: "The rule is now an explicit if statement that raises PermissionDenied, so it is enforced regardless of interpreter flags.",
  },
  {
    cweId: "CWE-703",
    cweTitle: "Improper Check or Handling of Exceptional Conditions",
    packageName: null,
    instruction: "Write a function that charges each subscription in a list through a payment client, marks the paid ones and returns how many charges succeeded.",
    insecureCode: `import logging

logger = logging.getLogger(__name__)


def charge_subscriptions(client, subscriptions):
    succeeded = 0
    for subscription in subscriptions:
        try:
            client.charge(subscription.customer_id, subscription.amount_cents)
            subscription.mark_paid()
            succeeded += 1
        except Exception:
            pass
    logger.info("charged %d of %d subscriptions", succeeded, len(subscriptions))
    return succeeded`,
    reasonInsecure: "Every exception is caught and silently discarded, so failed charges, bugs and even fraud-check errors disappear without a trace and accounts stay in an unknown state.",
    secureCode: `import logging

from payments import PaymentError

logger = logging.getLogger(__name__)


def charge_subscriptions(client, subscriptions):
    succeeded = 0
    for subscription in subscriptions:
        try:
            client.charge(subscription.customer_id, subscription.amount_cents)
        except PaymentError as exc:
            logger.warning("charge failed for %s: %s", subscription.customer_id, exc)
            subscription.mark_failed(str(exc))
            continue
        subscription.mark_paid()
        succeeded += 1
    logger.info("charged %d of %d subscriptions", succeeded, len(subscriptions))
    return succeeded`,
    reasonSecure: "Only the payment client's own error is caught, it is logged and the subscription is marked as failed, while unexpected exceptions still propagate.",
  },
  {
    cweId: "CWE-117",
    cweTitle: "Log injection",
    packageName: "logging",
    instruction: "Create a Flask login handler that writes a log line for every failed sign-in attempt, including the submitted username and the client address.",
    insecureCode: `import logging

from flask import Flask, jsonify, request

from accounts import verify_credentials

app = Flask(__name__)
logger = logging.getLogger("auth")


@app.route("/api/login", methods=["POST"])
def api_login():
    username = request.form.get("username", "")
    if verify_credentials(username, request.form.get("password", "")):
        return jsonify({"ok": True})
    logger.warning("failed login for user " + username + " from " + str(request.remote_addr))
    return jsonify({"ok": False}), 401`,
    reasonInsecure: "The raw username is concatenated into the log message, so a value containing a newline can forge extra log entries and mislead anyone reviewing the logs.",
    secureCode: `import logging

from flask import Flask, jsonify, request

from accounts import verify_credentials

app = Flask(__name__)
logger = logging.getLogger("auth")


@app.route("/api/login", methods=["POST"])
def api_login():
    username = request.form.get("username", "")
    if verify_credentials(username, request.form.get("password", "")):
        return jsonify({"ok": True})
    logger.warning("failed login for user %r from %s", username, request.remote_addr)
    return jsonify({"ok": False}), 401`,
    reasonSecure: "The username is logged through a %r placeholder, which renders control characters such as newlines as visible escapes, so one request can only produce one log line.",
  },
  {
    cweId: "CWE-434",
    cweTitle: "Unrestricted Upload of File with Dangerous Type",
    packageName: "flask",
    instruction: "Create a Flask endpoint that accepts an avatar image upload, stores it in the public uploads folder and returns the URL of the stored file.",
    insecureCode: `import os

from flask import Flask, jsonify, request

app = Flask(__name__)
UPLOAD_DIR = "/srv/app/static/uploads"


@app.route("/avatar", methods=["POST"])
def upload_avatar():
    upload = request.files.get("avatar")
    if upload is None or not upload.filename:
        return jsonify({"error": "no file"}), 400
    path = os.path.join(UPLOAD_DIR, upload.filename)
    upload.save(path)
    return jsonify({"url": f"/static/uploads/{upload.filename}"}), 201`,
    reasonInsecure: "The file is stored under the name and extension the client chose, so an attacker can upload an .html or server-side script file into a publicly served folder.",
    secureCode: `import os

from flask import Flask, jsonify, request
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOAD_DIR = "/srv/app/static/uploads"
ALLOWED_EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif"}


@app.route("/avatar", methods=["POST"])
def upload_avatar():
    upload = request.files.get("avatar")
    if upload is None or not upload.filename:
        return jsonify({"error": "no file"}), 400
    filename = secure_filename(upload.filename)
    if not filename or os.path.splitext(filename)[1].lower() not in ALLOWED_EXTENSIONS:
        return jsonify({"error": "unsupported file type"}), 400
    upload.save(os.path.join(UPLOAD_DIR, filename))
    return jsonify({"url": f"/static/uploads/{filename}"}), 201`,
    reasonSecure: "The name is cleaned with secure_filename and only png, jpg and gif extensions are accepted, so other file types are refused before anything is written.",
  },
  {
    cweId: "CWE-614",
    cweTitle: "Session cookie issued without protective flags",
    packageName: "flask",
    instruction: "Create a Flask route that starts a session for a verified user by issuing a session cookie and returns a short JSON confirmation.",
    insecureCode: `import secrets

from flask import Flask, jsonify, request

from accounts import store_session, verify_credentials

app = Flask(__name__)


@app.route("/session", methods=["POST"])
def create_session():
    username = request.form.get("username", "")
    if not verify_credentials(username, request.form.get("password", "")):
        return jsonify({"ok": False}), 401
    session_id = secrets.token_urlsafe(32)
    store_session(session_id, username)
    response = jsonify({"ok": True, "user": username})
    response.set_cookie("session_id", session_id, max_age=3600)
    return response`,
    reasonInsecure: "The session cookie is set without the Secure and HttpOnly flags, so it can be sent over plain http and read by any script running on the page.",
    secureCode: `import secrets

from flask import Flask, jsonify, request

from accounts import store_session, verify_credentials

app = Flask(__name__)


@app.route("/session", methods=["POST"])
def create_session():
    username = request.form.get("username", "")
    if not verify_credentials(username, request.form.get("password", "")):
        return jsonify({"ok": False}), 401
    session_id = secrets.token_urlsafe(32)
    store_session(session_id, username)
    response = jsonify({"ok": True, "user": username})
    response.set_cookie("session_id", session_id, max_age=3600, secure=True, httponly=True, samesite="Lax")
    return response`,
    reasonSecure: "The cookie is now marked Secure, HttpOnly and SameSite=Lax, so it only travels over https, is hidden from scripts and is not sent on cross-site requests.",
  },
];

/**
 * The reasoning text R in the form of the released DiSCo data: the title in single quotes and the remaining parts
 * run together with no separator, r- before r+.
 */
export function buildReasoning(
  pair: Pick<DemoPair, "cweId" | "reasonInsecure" | "reasonSecure">,
  entry: Pick<DemoKnowledgeEntry, "title" | "description">,
): string {
  return `The code may have the vulnerability ${pair.cweId}: '${entry.title}'. ${entry.description}${pair.reasonInsecure}${pair.reasonSecure}`;
}
