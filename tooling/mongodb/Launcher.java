import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Starts mongo-java-server (in-memory backend) on 127.0.0.1 for Muster's tests.
 *
 * Usage: java -cp 'lib/*' Launcher.java [port]   (port defaults to $MONGODB_PORT, else 27017)
 *
 * Why a custom version: mongo-java-server 1.47 reports MongoDB 5.0 with wire version 8, and the
 * npm `mongodb` driver 7.6+ refuses servers below wire version 9 (MongoDB 4.4). The reported
 * version only changes the handshake, buildInfo and serverStatus replies, so we claim
 * "5.0.0" with wire version 9.
 *
 * Why one worker thread: the server's collections take no locks, so with several worker threads
 * two concurrent findAndModify commands can both see (and both win) the same document, which real
 * MongoDB never allows (single-document writes are atomic). One event-loop thread runs every
 * command to completion before the next: writes are atomic again, as in MongoDB.
 */
public final class Launcher {
  private record ReportedVersion(List<Integer> versionArray, int wireVersion) implements MongoVersion {
    @Override
    public List<Integer> getVersionArray() {
      return versionArray;
    }

    @Override
    public int getWireVersion() {
      return wireVersion;
    }
  }

  public static void main(String[] args) throws InterruptedException {
    String fromEnv = System.getenv("MONGODB_PORT");
    int port = Integer.parseInt(args.length > 0 ? args[0] : fromEnv != null && !fromEnv.isEmpty() ? fromEnv : "27017");

    MemoryBackend backend = new MemoryBackend();
    backend.version(new ReportedVersion(List.of(5, 0, 0), 9));
    MongoServer server = new MongoServer(backend);
    // No oplog (change streams): Muster polls an events collection, and an oplog would double the memory.
    server.bind(new InetSocketAddress("127.0.0.1", port), 1, 1);
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
    System.out.println("MONGO_READY mongodb://127.0.0.1:" + port);
    Thread.currentThread().join();
  }
}
