package dev.glimpse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.util.GlimpseException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints and images on a file system other than the local one (a stand-in registered as
 * {@code glimpsetest://}, the way hdfs:// or s3a:// are) are read through Hadoop: the checkpoint is copied
 * once into a local folder, without the optimizer state, and gives the same captions.
 */
class CheckpointFilesTest {
  /** The local disk under another scheme, as a remote file system looks to Hadoop. */
  public static final class OtherFs extends RawLocalFileSystem {
    @Override
    public URI getUri() {
      return URI.create("glimpsetest:///");
    }

    @Override
    public String getScheme() {
      return "glimpsetest";
    }
  }

  static Configuration conf() {
    Configuration c = new Configuration(false);
    c.set("fs.glimpsetest.impl", OtherFs.class.getName());
    c.setBoolean("fs.glimpsetest.impl.disable.cache", true);
    return c;
  }

  @Test
  void aRunFolderOnAnotherFileSystemIsCopiedWithoutOptimizerState() throws Exception {
    Path run = TestData.captionerRun();
    assertTrue(Files.exists(run.resolve("checkpoint/optimizer.safetensors")));
    Path local = CheckpointFiles.local("glimpsetest://" + run, conf());
    assertFalse(local.startsWith(run), "a copy, not the original");
    assertTrue(Files.exists(local.resolve("model.safetensors")));
    assertTrue(Files.exists(local.resolve("config.json")));
    assertTrue(Files.exists(local.resolve("tokenizer.json")));
    assertFalse(Files.exists(local.resolve("optimizer.safetensors")));
    assertEquals(-1, Files.mismatch(local.resolve("model.safetensors"), run.resolve("checkpoint/model.safetensors")));
    assertNull(CheckpointFiles.problem("glimpsetest://" + run, conf()));
    assertTrue(CheckpointFiles.problem("glimpsetest://" + run.resolve("none"), conf()).contains("checkpoint not found"));
    GlimpseException missing = assertThrows(GlimpseException.class,
        () -> CheckpointFiles.local("glimpsetest://" + run.resolve("none"), conf()));
    assertTrue(missing.getMessage().contains("checkpoint not found"), missing.getMessage());
    GlimpseException file = assertThrows(GlimpseException.class,
        () -> CheckpointFiles.local("glimpsetest://" + run.resolve("metrics.jsonl"), conf()));
    assertTrue(file.getMessage().contains("a checkpoint is a folder"), file.getMessage());
  }

  @Test
  void jobsReadCheckpointsAndImagesThroughHadoop() {
    SparkSession spark = TestSpark.session();
    spark.sparkContext().hadoopConfiguration().set("fs.glimpsetest.impl", OtherFs.class.getName());
    Path run = TestData.captionerRun();
    Path images = TestData.scenes("remote", 4, 21);
    List<String> remote = TestData.files(images).stream().map(p -> "glimpsetest://" + p).toList();
    List<String> local = TestData.files(images).stream().map(Path::toString).toList();
    List<Row> viaHadoop = new GlimpseCaptioner().setCheckpoint("glimpsetest://" + run).setImageCol("path")
        .setMaxTokens(6).setScoreCol("score").transform(spark.createDataset(remote, Encoders.STRING()).toDF("path"))
        .collectAsList();
    List<Row> direct = new GlimpseCaptioner().setCheckpoint(run.toString()).setImageCol("path").setMaxTokens(6)
        .setScoreCol("score").transform(spark.createDataset(local, Encoders.STRING()).toDF("path")).collectAsList();
    assertEquals(4, viaHadoop.size());
    for (int i = 0; i < 4; i++) {
      assertNull(viaHadoop.get(i).getAs("caption_error"));
      assertEquals(direct.get(i).<String>getAs("caption"), viaHadoop.get(i).getAs("caption"));
      assertEquals(direct.get(i).<Double>getAs("score"), viaHadoop.get(i).<Double>getAs("score"), 1e-6);
    }
    assertEquals(1, ModelCache.loads("glimpsetest://" + run));
  }
}
