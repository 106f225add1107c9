package alliances.neo4j;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;

/**
 * A real (embedded) Neo4j Community DBMS with the Bolt connector on 127.0.0.1,
 * used by scripts/neo4j for development, tests and CI.
 *
 * Usage: LocalNeo4j --home DIR --port PORT --password-file FILE [--pagecache MB]
 *
 * The password is read from a file (never from argv) and set on the system
 * database with a parameterised ALTER USER; it is never printed.
 * Prints "READY bolt://127.0.0.1:PORT" once the default database is available.
 *
 * A bulk import without a second JVM: scripts/neo4j import writes the path of a
 * neo4j-admin import folder into HOME/control/import.request; this process then shuts the
 * DBMS down, runs `neo4j-admin database import full neo4j` (org.neo4j.cli.AdminTool) in
 * this same JVM, starts the DBMS again and writes HOME/control/import.done (exit code and
 * each step's milliseconds). Community has one user database and cannot stop it alone,
 * so the DBMS is restarted, but the JVM (classes loaded, code compiled) is not: that is
 * most of a cold start.
 */
public final class LocalNeo4j {
    private LocalNeo4j() {}

    private static Path home;
    private static int port;
    private static long pageCacheMb;
    private static long txMemoryMb;
    private static volatile DatabaseManagementService dbms;

    public static void main(String[] args) throws Exception {
        Path passwordFile = null;
        port = 7687;
        pageCacheMb = 512;
        txMemoryMb = 0; // 0: no per-transaction limit (the server-wide pool still applies)
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = (i + 1 < args.length) ? args[i + 1] : null;
            switch (a) {
                case "--home": home = Path.of(req(a, v)).toAbsolutePath(); i++; break;
                case "--port": port = Integer.parseInt(req(a, v)); i++; break;
                case "--password-file": passwordFile = Path.of(req(a, v)); i++; break;
                case "--pagecache": pageCacheMb = Long.parseLong(req(a, v)); i++; break;
                case "--tx-memory": txMemoryMb = Long.parseLong(req(a, v)); i++; break;
                default: fail("unknown argument: " + a);
            }
        }
        if (home == null || passwordFile == null) {
            fail("usage: LocalNeo4j --home DIR --port PORT --password-file FILE [--pagecache MB] [--tx-memory MB]");
        }
        String password = readPassword(passwordFile);

        log("starting Neo4j " + neo4jVersion() + " (embedded, community) home=" + home
                + " bolt=127.0.0.1:" + port + " pagecache=" + pageCacheMb + "m"
                + (txMemoryMb > 0 ? " tx-memory=" + txMemoryMb + "m" : ""));

        dbms = build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("shutting down");
            try {
                DatabaseManagementService running = dbms;
                if (running != null) {
                    running.shutdown();
                }
            } finally {
                log("stopped");
                stopped.countDown();
            }
        }, "local-neo4j-shutdown"));

        setPassword(password);
        awaitDefault();
        log("READY bolt://127.0.0.1:" + port);
        Thread watcher = new Thread(LocalNeo4j::watchImports, "local-neo4j-import-watcher");
        watcher.setDaemon(true);
        watcher.start();
        log("bulk imports: watching " + home.resolve("control").resolve("import.request"));
        stopped.await();
    }

    private static DatabaseManagementService build() {
        return new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress("127.0.0.1"))
                .setConfig(GraphDatabaseSettings.default_advertised_address, new SocketAddress("127.0.0.1"))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Loopback-only test server: a short lock after failed logins, so the
                // wrong-password tests do not lock out the tests that follow them.
                .setConfig(GraphDatabaseSettings.auth_max_failed_attempts, 10)
                .setConfig(GraphDatabaseSettings.auth_lock_time, Duration.ofMillis(500))
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, ByteUnit.mebiBytes(txMemoryMb))
                // Bolt waited 5 s for idle connections and 5 s for its threads at every shutdown
                // (10 of the 11 s a stop took); a loopback server has nothing to drain.
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(200))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(200))
                .build();
    }


    private static void awaitDefault() {
        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(Duration.ofSeconds(60).toMillis())) {
            log("ERROR: database neo4j not available after 60 s");
            System.exit(2);
        }
        db.executeTransactionally("RETURN 1");
    }

    /**
     * Set the password of user neo4j, unless the data folder records that this password was set
     * (a SHA-256 of it in data/, so wiping the data forgets it): ALTER USER is the first Cypher
     * statement of a start and costs seconds on a cold JVM.
     */
    private static void setPassword(String password) throws Exception {
        Path stamp = home.resolve("data").resolve("alliances-password.sha256");
        String digest = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8)));
        try {
            if (Files.isRegularFile(stamp) && Files.readString(stamp, StandardCharsets.UTF_8).strip().equals(digest)) {
                log("password for user neo4j unchanged");
                return;
            }
        } catch (IOException e) {
            // no stamp: set it
        }
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            log("password for user neo4j set");
        } catch (RuntimeException e) {
            // Same password as before: nothing to change. Never echo the exception
            // text blindly (it could in theory contain user input).
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("cannot be the same")) {
                log("password for user neo4j unchanged");
            } else {
                log("ERROR: could not set password for user neo4j: " + e.getClass().getName());
                dbms.shutdown();
                System.exit(2);
            }
        }
        try {
            Path tmp = stamp.resolveSibling(stamp.getFileName() + ".tmp");
            Files.writeString(tmp, digest + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, stamp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log("could not record the password stamp (" + e.getClass().getSimpleName() + "): set again next start");
        }
    }

    // --- bulk import in this JVM --------------------------------------------

    private static void watchImports() {
        Path control = home.resolve("control");
        Path request = control.resolve("import.request");
        Path running = control.resolve("import.running");
        while (true) {
            try {
                if (Files.isRegularFile(request)) {
                    Files.move(request, running, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    String folder = Files.readString(running, StandardCharsets.UTF_8).strip();
                    String result = runImport(Path.of(folder).toAbsolutePath());
                    Path done = control.resolve("import.done");
                    Path tmp = control.resolve("import.done.tmp");
                    Files.writeString(tmp, result, StandardCharsets.UTF_8);
                    Files.move(tmp, done, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    Files.deleteIfExists(running);
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                log("ERROR: import request failed: " + e);
                // a request taken and not answered would leave scripts/neo4j waiting for ever:
                // answer it as failed, and with no DBMS left to serve, end this process
                if (Files.exists(running)) {
                    try {
                        Files.writeString(control.resolve("import.done"), "exit=1\n", StandardCharsets.UTF_8);
                        Files.deleteIfExists(running);
                    } catch (IOException ignored) {
                        // the script still sees the process end below, or times out on its own
                    }
                }
                if (dbms == null) {
                    log("ERROR: the DBMS is down after the failed import: exiting");
                    System.exit(2);
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** The options of FOLDER/neo4j-admin.args with each file made absolute (they are relative to FOLDER). */
    static List<String> importArgs(Path folder) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve("neo4j-admin.args"), StandardCharsets.UTF_8)) {
            String a = line.strip();
            if (a.isEmpty()) {
                continue;
            }
            for (String opt : new String[] {"--nodes=", "--relationships="}) {
                if (a.startsWith(opt)) {
                    String value = a.substring(opt.length());
                    int eq = value.lastIndexOf('=');
                    String prefix = eq >= 0 ? value.substring(0, eq + 1) : "";
                    List<String> files = new ArrayList<>();
                    for (String f : value.substring(eq + 1).split(",")) {
                        files.add(folder.resolve(f).toString());
                    }
                    a = opt + prefix + String.join(",", files);
                }
            }
            out.add(a);
        }
        return out;
    }

    /**
     * The schema statements of FILE (written by alliances export: one statement each, ended by a
     * line that ends in a semicolon; comment lines skipped): the indexes in one transaction, the
     * constraints in a second, whose commit returns once their unique indexes are populated and
     * checked. In this JVM, right after the import: no client start, no round trips.
     *
     * The name indexes and the full-text index are not waited for: they populate in the background
     * (at 100k organisations 15 to 25 s on the shared machine) and no answer depends on them being
     * online: the planner uses an index only once it is online (a label scan until then, same rows),
     * and a full-text query waits for its index to come online by itself. The id constraints are
     * waited for: the next MERGE load relies on them.
     */
    static void createSchema(Path file) throws IOException {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("//")) {
                continue;
            }
            current.append(line).append('\n');
            if (t.endsWith(";")) {
                String text = current.toString().strip();
                statements.add(text.substring(0, text.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        // The indexes first, in their own transaction: they populate in the background while the
        // constraints' transaction populates and checks the id indexes at its commit, one after
        // the other; one transaction for all would start the indexes only after the constraints.
        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        for (boolean constraints : new boolean[] {false, true}) {
            try (var tx = db.beginTx()) {
                for (String text : statements) {
                    if (text.startsWith("CREATE CONSTRAINT") == constraints) {
                        tx.execute(text).close();
                    }
                }
                tx.commit();
            }
        }
    }

    private static String runImport(Path folder) {
        StringBuilder result = new StringBuilder();
        long t0 = System.nanoTime();
        log("import of " + folder + " requested: stopping the DBMS");
        dbms.shutdown();
        dbms = null;
        long t1 = System.nanoTime();
        int code;
        Path logFile = home.resolve("logs").resolve("import.log");
        try (PrintStream out = new PrintStream(new FileOutputStream(logFile.toFile()), true, StandardCharsets.UTF_8)) {
            // the database first: an option that takes several files would swallow a name after it
            List<String> args = new ArrayList<>(List.of("database", "import", "full",
                    GraphDatabaseSettings.DEFAULT_DATABASE_NAME));
            args.addAll(importArgs(folder));
            Path conf = home.resolve("conf");
            Files.createDirectories(conf);
            if (!Files.exists(conf.resolve("neo4j.conf"))) {
                Files.writeString(conf.resolve("neo4j.conf"), "", StandardCharsets.UTF_8);
            }
            code = AdminTool.execute(new ExecutionContext(home, conf, out, out, new DefaultFileSystemAbstraction()),
                    args.toArray(new String[0]));
        } catch (Exception e) {
            log("ERROR: neo4j-admin import: " + e.getClass().getName());
            code = 1;
        }
        long t2 = System.nanoTime();
        log("import finished (exit " + code + "): starting the DBMS");
        dbms = build();
        awaitDefault();
        long t3 = System.nanoTime();
        long schemaMs = -1;
        Path schema = folder.resolve("schema.cypher");
        if (code == 0 && Files.isRegularFile(schema)) {
            try {
                createSchema(schema);
                schemaMs = (System.nanoTime() - t3) / 1_000_000;
            } catch (Exception e) {
                log("ERROR: creating the schema of " + schema + ": " + e.getClass().getName());
            }
        }
        log("READY bolt://127.0.0.1:" + port);
        result.append("exit=").append(code).append('\n');
        result.append("stop_ms=").append((t1 - t0) / 1_000_000).append('\n');
        result.append("import_ms=").append((t2 - t1) / 1_000_000).append('\n');
        result.append("start_ms=").append((t3 - t2) / 1_000_000).append('\n');
        result.append("schema_ms=").append(schemaMs).append('\n');
        return result.toString();
    }

    private static String readPassword(Path file) throws IOException {
        String pw = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (pw.isEmpty()) {
            fail("password file is empty: " + file);
        }
        return pw;
    }

    private static String neo4jVersion() {
        Package p = DatabaseManagementService.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "5.26" : v;
    }

    private static String req(String name, String v) {
        if (v == null) {
            fail("missing value for " + name);
        }
        return v;
    }

    private static void log(String s) {
        System.out.println(java.time.Instant.now() + " [LocalNeo4j] " + s);
        System.out.flush();
    }

    private static void fail(String s) {
        System.err.println("LocalNeo4j: " + s);
        System.exit(64);
    }
}
