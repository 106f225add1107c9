package alliances.neo4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * A real (embedded) Neo4j Community DBMS with the Bolt connector on 127.0.0.1,
 * used by scripts/neo4j for development, tests and CI.
 *
 * Usage: LocalNeo4j --home DIR --port PORT --password-file FILE [--pagecache MB]
 *
 * The password is read from a file (never from argv) and set on the system
 * database with a parameterised ALTER USER; it is never printed.
 * Prints "READY bolt://127.0.0.1:PORT" once the default database is available.
 */
public final class LocalNeo4j {
    private LocalNeo4j() {}

    public static void main(String[] args) throws Exception {
        Path home = null;
        Path passwordFile = null;
        int port = 7687;
        long pageCacheMb = 512;
        long txMemoryMb = 0; // 0: no per-transaction limit (the server-wide pool still applies)
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

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
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
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("shutting down");
            try {
                dbms.shutdown();
            } finally {
                log("stopped");
                stopped.countDown();
            }
        }, "local-neo4j-shutdown"));

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

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(Duration.ofSeconds(60).toMillis())) {
            log("ERROR: database neo4j not available after 60 s");
            System.exit(2);
        }
        db.executeTransactionally("RETURN 1");
        log("READY bolt://127.0.0.1:" + port);
        stopped.await();
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
