package dev.glimpse.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The tests' one Spark session: two local task threads, as on a two-core executor, and up to two
 * attempts per task ({@code local[2,2]}) so that the fault test's injected failure is retried; an
 * ordinary task never fails, so the second attempt changes nothing for the other tests.
 */
public final class TestSpark {
  private static SparkSession spark;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (spark == null || spark.sparkContext().isStopped()) {
      spark = SparkSession.builder()
          .master("local[2,2]")
          .appName("glimpse-spark tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .getOrCreate();
    }
    return spark;
  }
}
