// The test Neo4j: an embedded Neo4j Community DBMS with its Bolt connector on 127.0.0.1.
//
// Run as a single-file source program on the classpath Maven resolves from pom.xml:
//   java -Xmx1g -cp "$(cat target/classpath.txt)" Launcher.java [--port N] [--pagecache-mb N] [--store DIR]
//        [--conf neo4j.conf]   (settings in neo4j.conf syntax, applied before the ones below)
// Port 0 (the default) takes a free port; the chosen one is in the ready line, the only line on stdout:
//   neo4j-launcher ready bolt://127.0.0.1:PORT
// Without --store the store is a temporary directory, deleted at shutdown. The DBMS shuts down cleanly on
// SIGTERM (a JVM shutdown hook) and when stdin closes, so a test process killed with -9 never leaves a
// server behind. Authentication is off: the server listens on loopback only and holds test data.

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

public final class Launcher {
    public static void main(String[] args) throws Exception {
        int port = 0;
        long pagecacheMb = 512;
        Path store = null;
        Path conf = null;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--pagecache-mb" -> pagecacheMb = Long.parseLong(args[i + 1]);
                case "--store" -> store = Path.of(args[i + 1]);
                case "--conf" -> conf = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        boolean temporary = store == null;
        Path home = temporary ? Files.createTempDirectory("test-neo4j-") : store;

        var builder = new DatabaseManagementServiceBuilder(home);
        if (conf != null) {
            builder.loadPropertiesFromFile(conf);
        }
        DatabaseManagementService dbms = builder
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pagecacheMb))
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                // What compose.yaml sets for production: an asset's FEEDS edges kept apart from its READ/WROTE edges
                // (relationship groups), so a search reads only what it follows (worst hub at 100K: 263 -> 198 ms).
                .setConfig(GraphDatabaseSettings.dense_node_threshold, 5)
                // What compose.yaml sets too: one plan per query text and parameter types, not one more per size
                // bucket of each string and list parameter (a lineage search's text takes seconds to plan).
                .setConfig(GraphDatabaseInternalSettings.cypher_size_hint_parameters, false)
                // A runaway test query fails instead of holding the suite; the service sets its own timeout too.
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(5))
                .build();

        Thread stop = new Thread(() -> {
            dbms.shutdown();
            if (temporary) {
                delete(home);
            }
        });
        Runtime.getRuntime().addShutdownHook(stop);

        var api = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        var ports = api.getDependencyResolver().resolveDependency(ConnectorPortRegister.class);
        var bolt = ports.getLocalAddress(ConnectorType.BOLT);
        System.out.println("neo4j-launcher ready bolt://127.0.0.1:" + bolt.getPort());
        System.out.flush();

        // Whoever started us holds our stdin; when it goes away (even by kill -9), so do we.
        InputStream in = System.in;
        while (in.read() != -1) {
            // input is ignored; only its end matters
        }
        System.exit(0);
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e);
        }
    }
}
