package dev.berth.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.testsupport.CiSkipRule;
import dev.berth.registry.ui.SampleImages;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in Debian's headless Chromium against a real server with access rules, signing in with Basic auth and
 * with the token protocol: sign in, browse,
 * search, open an image, an index and a referrer, delete a tag (gone through the v2 API too), and a user without
 * access sees nothing. With {@code -Dberth.ui.screenshots=DIR} it saves a PNG of each page there (docs/ui/).
 */
class WebUiBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path root;
  @TempDir Path dir;
  private UiRegistry registry;
  private ChromeDriver browser;
  private WebDriverWait wait;

  private void start(UiRegistry.Login login) throws IOException {
    CiSkipRule.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        CHROMIUM + " or " + CHROMEDRIVER + " is missing (install the Debian packages chromium and chromium-driver;"
            + " .ci/run does)");
    registry = UiRegistry.start(root, dir, login, true);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toString())
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    // a page re-renders by replacing its nodes: an element read while that happens is looked up again
    wait.ignoring(StaleElementReferenceException.class);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (registry != null) {
      registry.close();
    }
  }

  /** With Basic on every request, and with the token protocol (the page follows the challenges to /auth/token). */
  @ParameterizedTest
  @EnumSource(UiRegistry.Login.class)
  void signInBrowseSearchOpenAnIndexAndAReferrerDeleteATagAndSeeNothingWithoutAccess(UiRegistry.Login login)
      throws IOException {
    start(login);
    // one set of screenshots; both logins show the same pages
    screenshots = login == UiRegistry.Login.HTPASSWD;
    String base = registry.base();
    browser.get(base + "/ui");
    visible(By.id("login"));
    screenshot("login");

    signIn("alice", "wrong");
    wait.until(ExpectedConditions.textToBe(By.id("login-error"), "Wrong user name or password."));

    signIn("alice", "wonderland");
    wait.until(d -> repositories().equals(List.of("team-a/app", "team-b/tool")));
    screenshot("repositories");

    browser.findElement(By.id("search")).sendKeys("tool");
    wait.until(d -> repositories().equals(List.of("team-b/tool")));
    browser.findElement(By.linkText("team-b/tool")).click();
    visible(By.cssSelector("tr.tag[data-tag=latest]"));
    assertThat(browser.findElements(By.cssSelector("button.delete"))).as("alice may only pull team-b").isEmpty();

    browser.get(base + "/ui/#/");
    visible(By.linkText("team-a/app")).click();
    visible(By.cssSelector("tr.tag[data-tag=v1]"));
    assertThat(browser.findElements(By.cssSelector("tr.tag")).stream().map(r -> r.getAttribute("data-tag")).toList())
        .containsExactly("multi", "v1");
    assertThat(browser.findElement(By.cssSelector("tr.tag[data-tag=v1] .pushed")).getText()).endsWith("UTC");
    assertThat(browser.findElement(By.cssSelector("tr.tag[data-tag=v1] .size")).getText()).endsWith("B");
    screenshot("tags");
    WebElement tagSearch = browser.findElement(By.id("tag-search"));
    tagSearch.sendKeys("MUL");
    wait.until(d -> tags().equals(List.of("multi")));
    tagSearch.sendKeys(Keys.BACK_SPACE, Keys.BACK_SPACE, Keys.BACK_SPACE);
    wait.until(d -> tags().equals(List.of("multi", "v1")));

    browser.findElement(By.linkText("v1")).click();
    visible(By.id("layers"));
    assertThat(browser.findElement(By.cssSelector("code.cmd")).getText()).isEqualTo("[\"--serve\"]");
    assertThat(visible(By.cssSelector("tr.referrer .artifact-type")).getText()).isEqualTo(SampleImages.SBOM_TYPE);
    String pull = "127.0.0.1:" + registry.port() + "/team-a/app:v1";
    assertThat(browser.findElement(By.cssSelector("input.pull-command")).getAttribute("value")).isEqualTo(pull);
    screenshot("manifest");
    // the Copy button puts the pull command on the clipboard (read back through the page, which may read it here)
    browser.setPermission("clipboard-read", "granted");
    browser.setPermission("clipboard-write", "granted");
    WebElement copy = browser.findElement(By.cssSelector(".pull button.copy"));
    copy.click();
    wait.until(ExpectedConditions.textToBePresentInElement(copy, "Copied"));
    assertThat(browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + " navigator.clipboard.readText().then(done, e => done('unreadable: ' + e));")).isEqualTo(pull);

    browser.navigate().back();
    visible(By.linkText("multi")).click();
    wait.until(d -> d.findElements(By.cssSelector("a.platform-link")).stream().map(WebElement::getText).toList()
        .equals(List.of("linux/amd64", "linux/arm64/v8")));
    assertThat(browser.findElement(By.id("annotations")).getText())
        .contains("org.opencontainers.image.source").contains("https://example.com/app");
    screenshot("index");

    browser.navigate().back();
    WebElement delete = visible(By.cssSelector("tr.tag[data-tag=v1] button.delete"));
    delete.click();
    wait.until(ExpectedConditions.textToBePresentInElement(delete, "Really delete?"));
    delete.click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr.tag[data-tag=v1]")));
    visible(By.cssSelector("tr.tag[data-tag=multi]"));
    ApiClient v2 = new ApiClient(registry.port());
    String alice = registry.authorization(v2, UiRegistry.ALICE, "repository:team-a/app:pull");
    assertThat(v2.get("/v2/team-a/app/manifests/v1", "Authorization", alice).statusCode()).isEqualTo(404);
    assertThat(ApiClient.json(v2.get("/v2/team-a/app/tags/list", "Authorization", alice)).path("tags").toString())
        .isEqualTo("[\"multi\"]");

    browser.findElement(By.id("logout")).click();
    visible(By.id("login"));
    signIn("bob", "builder");
    visible(By.id("no-repositories"));
    assertThat(browser.findElements(By.cssSelector("tr.repository"))).isEmpty();
    // a link to what bob may not pull shows the refusal and nothing of the repository
    browser.get(base + "/ui/#/repo/team-a%2Fapp");
    wait.until(ExpectedConditions.textToBe(By.id("failure"), "requested access to the resource is denied"));
    assertThat(browser.findElements(By.cssSelector("tr.tag"))).isEmpty();
    WebElement refusal = browser.findElement(By.id("failure"));
    browser.get(base + "/ui/#/manifest/team-a%2Fapp/multi");
    wait.until(ExpectedConditions.stalenessOf(refusal));
    wait.until(ExpectedConditions.textToBe(By.id("failure"), "requested access to the resource is denied"));
    assertThat(browser.findElements(By.cssSelector("#platforms, #layers, button.delete"))).isEmpty();
  }

  private void signIn(String user, String password) {
    WebElement name = visible(By.id("username"));
    name.clear();
    name.sendKeys(user);
    WebElement secret = browser.findElement(By.id("password"));
    secret.clear();
    secret.sendKeys(password);
    browser.findElement(By.id("sign-in")).click();
  }

  private List<String> tags() {
    return browser.findElements(By.cssSelector("tr.tag")).stream().map(r -> r.getAttribute("data-tag")).toList();
  }

  private List<String> repositories() {
    return browser.findElements(By.cssSelector("tr.repository a.repo-link")).stream().map(WebElement::getText).toList();
  }

  private WebElement visible(By locator) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(locator));
  }

  private boolean screenshots;

  private void screenshot(String page) {
    String target = System.getProperty("berth.ui.screenshots");
    if (!screenshots || target == null || target.isBlank()) {
      return;
    }
    try {
      Path file = Files.createDirectories(Path.of(target)).resolve(page + ".png");
      Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
