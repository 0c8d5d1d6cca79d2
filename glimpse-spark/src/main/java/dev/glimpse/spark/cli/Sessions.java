package dev.glimpse.spark.cli;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The Spark session of a command: the running one (spark-submit, a test), or a new one it stops after. */
final class Sessions {
  private Sessions() {}

  /** A session and whether this command started it (and so stops it). */
  record Owned(SparkSession spark, boolean started) implements AutoCloseable {
    @Override
    public void close() {
      if (started) {
        stop(spark);
      }
    }
  }

  /** The running session of this JVM (spark-submit's, a test's), or null. */
  static SparkSession running() {
    SparkSession active = SparkSession.getActiveSession().getOrElse(() -> null);
    return active != null && !active.sparkContext().isStopped() ? active : null;
  }

  /** Stops a session and forgets it, so that the next command may start another. */
  static void stop(SparkSession spark) {
    spark.stop();
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  static Owned open(String master, String name, Map<String, String> conf) {
    SparkSession active = running();
    if (active != null) {
      return new Owned(active, false);
    }
    SparkConf sc = new SparkConf();
    SparkSession.Builder b = SparkSession.builder().appName(name);
    if (master != null) {
      b.master(master);
    } else if (!sc.contains("spark.master")) {
      b.master("local[*]");
    }
    conf.forEach(b::config);
    SparkSession spark = b.getOrCreate();
    return new Owned(spark, true);
  }
}
