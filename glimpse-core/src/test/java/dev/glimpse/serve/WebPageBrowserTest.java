package dev.glimpse.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.glimpse.testing.HfFolders;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real headless browser (the system's chromium through chromedriver, as CI installs
 * them): upload an image, see its caption, ask a question and watch the answer stream in (the engine
 * is held between steps so the partial answer can be seen), hover a word and see the heatmap drawn
 * over the image.
 */
class WebPageBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path tmp;

  @Test
  void captionAskStreamAndHeatmap() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "SKIPPED: the browser test needs Debian's chromium and chromium-driver (apt-get install chromium "
            + "chromium-driver; .ci/run installs them)");
    Path image = tmp.resolve("picture.png");
    Files.write(image, HfFolders.png(HfFolders.picture(4, 160, 120)));
    try (TestServer server = new TestServer(ServeOptions.defaults(), Map.of("git", HfFolders.make(tmp, "git")))) {
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-dev-shm-usage", "--window-size=1280,900",
          "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
      ChromeDriver driver = new ChromeDriver(service, options);
      try {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        driver.get("http://127.0.0.1:" + server.port + "/");
        wait.until(d -> d.findElements(By.cssSelector("#model option")).size() == 1);
        assertEquals("git", driver.findElement(By.id("model")).getAttribute("value"));

        // upload through the file input
        WebElement file = driver.findElement(By.id("file"));
        ((JavascriptExecutor) driver).executeScript("arguments[0].hidden = false;", file);
        file.sendKeys(image.toAbsolutePath().toString());
        wait.until(d -> d.findElement(By.id("preview")).isDisplayed()
            && d.findElement(By.id("caption-btn")).isEnabled());

        // caption
        driver.findElement(By.id("caption-btn")).click();
        wait.until(d -> "true".equals(d.findElement(By.id("caption")).getAttribute("data-done")));
        String caption = driver.findElement(By.id("caption")).getText();
        assertFalse(caption.isBlank(), "a caption appears");
        String expected = ServeApiTest.content(server.post("/v1/chat/completions",
            ServeApiTest.chat("git", null, HfFolders.dataUrl(javax.imageio.ImageIO.read(image.toFile())))), 0);
        assertEquals(expected, caption, "the page shows the API's caption");

        // ask, with the engine held: the answer shows up token by token (a question whose answer is long)
        String question = null;
        int longest = 0;
        for (String q : new String[] {"what is in the picture", "where is the disc", "what colour is it", "why"}) {
          TestServer.Reply r = server.post("/v1/chat/completions", ServeApiTest.chat("git", q,
              HfFolders.dataUrl(javax.imageio.ImageIO.read(image.toFile()))));
          int tokens = r.json().getAsJsonObject("usage").get("completion_tokens").getAsInt();
          if (tokens > longest) {
            longest = tokens;
            question = q;
          }
        }
        assertTrue(longest >= 4, "an answer of several tokens: " + longest);
        ServeSchedulingTest.Gate gate = new ServeSchedulingTest.Gate();
        gate.install(server.server, "git");
        driver.findElement(By.id("question")).sendKeys(question);
        driver.findElement(By.id("ask-btn")).click();
        ServeSchedulingTest.waitFor(() -> server.server.runningSequences("git") == 1, "the question is decoding");
        gate.permits.release(3);
        wait.until(d -> chunks(d.findElement(By.id("answer"))) >= 2); // the page sets data-chunks on the first chunk
        WebElement answer = driver.findElement(By.id("answer"));
        assertEquals("false", answer.getAttribute("data-done"), "the answer is still streaming");
        String partial = answer.getText();
        assertFalse(partial.isBlank(), "part of the answer is shown while it streams");
        gate.openUp();
        wait.until(d -> "true".equals(d.findElement(By.id("answer")).getAttribute("data-done")));
        String full = driver.findElement(By.id("answer")).getText();
        assertTrue(full.startsWith(partial.strip()), partial + " -> " + full);

        // hover a word: the heatmap appears over the image, with colour in it
        List<WebElement> words = driver.findElements(By.cssSelector("#answer .word"));
        assertFalse(words.isEmpty());
        WebElement word = words.get(words.size() / 2);
        new Actions(driver).moveToElement(word).perform();
        wait.until(d -> d.findElement(By.id("heatmap")).getAttribute("class").contains("visible"));
        WebElement heatmap = driver.findElement(By.id("heatmap"));
        assertEquals(word.getText(), heatmap.getAttribute("data-word"));
        Number painted = (Number) ((JavascriptExecutor) driver).executeScript(
            "const c = document.getElementById('heatmap');"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "let red = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] > 150 && d[i + 3] > 60) red++; }"
                + "return red;");
        assertTrue(painted.intValue() > 0, "the heatmap is drawn");
        Path shot = Path.of("target", "serve-page.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        new Actions(driver).moveToElement(driver.findElement(By.id("question"))).perform();
        wait.until(d -> !d.findElement(By.id("heatmap")).getAttribute("class").contains("visible"));
      } finally {
        driver.quit();
        service.stop();
      }
    }
  }

  static File file(Path p) {
    return p.toFile();
  }

  // Chunks the page has shown so far; none before the attribute exists.
  private static int chunks(WebElement answer) {
    String value = answer.getAttribute("data-chunks");
    return value == null || value.isEmpty() ? 0 : Integer.parseInt(value);
  }
}
