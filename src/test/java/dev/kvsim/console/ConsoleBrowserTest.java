package dev.kvsim.console;

import dev.kvsim.Instances;
import dev.kvsim.core.KvsimClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real browser (the packaged headless Chromium through its chromedriver): an instance created from
 * the list page (an out-of-range port first, answered with the API's message; a name with markup shown as text),
 * its ops chart moving while a client writes, a latency fault started from the form, seen active, on the timeline
 * and in the latency chart, then stopped, and the SLA month. Each page's screenshot goes to
 * {@code target/console-screenshots} (those in docs/console.md come from there). Skipped, with the reason, where
 * Chromium or chromedriver is not installed.
 */
@QuarkusTest
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    /** Would run as script if the console did not escape what it shows. */
    private static final String HOSTILE_NAME = "<b class=\"injected\">console</b> & \"co\"";

    @Inject
    KvsimClock clock;

    private WebDriver browser;
    private JavascriptExecutor js;
    private String base;
    private String id;
    private int port;

    @BeforeAll
    void startBrowser() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser tests skipped: " + CHROMIUM + " or " + CHROMEDRIVER
                        + " is missing (Debian packages chromium and chromium-driver)");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());  // nothing is downloaded
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1400");
        browser = new ChromeDriver(service, options);
        js = (JavascriptExecutor) browser;
        base = "http://127.0.0.1:" + ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.quit();  // also stops chromedriver and Chromium
        }
        if (id != null) {
            Instances.delete(id);
        }
        clock.resetForTests();
    }

    private WebElement form() {
        return browser.findElement(By.id("fault"));
    }

    private WebDriverWait waiting(int seconds) {
        // A page that reloads (after a change) leaves the elements found before it stale: look again. While the old
        // document unloads, Chromium may also answer "Node with given id does not belong to the document", an
        // unknown error rather than a stale element; the wait looks again then too, and fails at its end as before.
        return (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class, WebDriverException.class);
    }

    private void open(String path) {
        browser.get(base + path);
    }

    /** Clicks the form's submit button; returns the message the page then shows (a new one). */
    private String submit(WebElement form) {
        WebElement box = browser.findElement(By.id("message"));
        String before = box.isDisplayed() ? box.getText() : "";
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waiting(10).until(d -> box.isDisplayed() && !box.getText().isBlank() && !box.getText().equals(before));
        return box.getText();
    }

    private double number(String script) {
        Object v = js.executeScript(script);
        return v == null ? 0 : ((Number) v).doubleValue();
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A Jedis client working on the instance until stopped: writes, or reads when {@code reads}. */
    private Thread client(AtomicBoolean stop, boolean reads) {
        Thread t = new Thread(() -> {
            try (Jedis j = new Jedis("127.0.0.1", port, 5000)) {
                for (int k = 0; !stop.get(); k++) {
                    if (reads) {
                        j.get("console:" + (k % 100));
                    } else {
                        j.set("console:" + (k % 100), "v" + k);
                    }
                }
            }
        }, "console-test-client");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    @Order(1)
    void anInstanceIsCreatedFromTheListWithTheApisMessages() throws IOException {
        open("/console");
        WebElement form = browser.findElement(By.id("create"));
        new Select(form.findElement(By.name("instanceClass"))).selectByValue("redis.master.small.default");
        form.findElement(By.name("name")).sendKeys(HOSTILE_NAME);
        form.findElement(By.name("port")).sendKeys("70000");
        assertEquals("InvalidParameter: port must be between 1 and 65535 (or 0 for a free port); got 70000.", submit(form),
                "the API's refusal, as the API words it");

        form.findElement(By.name("port")).clear();
        form.findElement(By.cssSelector("button[type=submit]")).click();
        // the console reports the new instance, then the list reloads with it and follows its status until Normal
        WebElement row = waiting(10).until(d -> d.findElements(By.cssSelector("#instances tr[data-instance]")).stream()
                .filter(r -> r.findElement(By.cssSelector("a.name")).getText().equals(HOSTILE_NAME)).findFirst().orElse(null));
        id = row.getDomAttribute("data-instance");
        waiting(30).until(d -> d.findElement(By.cssSelector("tr[data-instance='" + id + "'] [data-field=status]"))
                .getText().equals("Normal"));
        assertTrue(browser.findElements(By.cssSelector(".injected")).isEmpty(), "the name is text, never markup");
        port = Instances.get(id).getInt("port");
        assertEquals("127.0.0.1:" + port, browser.findElement(By.cssSelector("tr[data-instance='" + id + "'] td.mono")).getText());
        screenshot("instances");
    }

    @Test
    @Order(2)
    void theOpsChartMovesWhileAClientWrites() throws Exception {
        open("/console/instances/" + id);
        assertEquals("redis://127.0.0.1:" + port, browser.findElement(By.id("redis-url")).getText());
        assertTrue(browser.findElements(By.cssSelector(".injected")).isEmpty(), "the name is text, never markup");
        // the nodes and their roles, from the API
        waiting(10).until(d -> d.findElements(By.cssSelector("#nodes tbody tr")).size() == 2);
        String roles = browser.findElement(By.id("nodes")).getText();
        assertTrue(roles.contains("master") && roles.contains("replica"), roles);

        String writes = "return Math.max(0, ...window.kvsimCharts.ops.data[3].filter(v => v !== null));";
        assertEquals(0, number(writes), "no client wrote yet");
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = client(stop, false);
        try {
            // the charts refresh every second: the writes series rises above zero while the client writes
            waiting(15).until(d -> number(writes) > 10);
        } finally {
            stop.set(true);
            writer.join(5000);
        }
        assertTrue(browser.findElement(By.cssSelector("[data-latest=UsedQPS]")).getText().startsWith("now "));
        assertTrue(number("return window.kvsimCharts.memory.data[2].filter(v => v !== null).length;") > 0,
                "the memory chart shows the quota");
        screenshot("instance");
    }

    @Test
    @Order(3)
    void theSettingsFormsChangeTheInstanceWithTheApisMessages() {
        open("/console/instances/" + id);
        WebElement params = browser.findElement(By.id("parameters"));
        WebElement policy = params.findElement(By.name("maxmemory-policy"));
        policy.clear();
        policy.sendKeys("bogus");
        assertTrue(submit(params).startsWith("InvalidParameter: Invalid value 'bogus' for parameter 'maxmemory-policy'"),
                "the API's message");
        policy.clear();
        policy.sendKeys("allkeys-lru");
        params.findElement(By.cssSelector("button[type=submit]")).click();
        // saved, the page reloads with the value the instance now has
        waiting(10).until(d -> "allkeys-lru".equals(d.findElement(By.name("maxmemory-policy")).getDomAttribute("data-original")));
        assertEquals("allkeys-lru", Instances.given().get("/api/v1/instances/" + id + "/parameters").then().statusCode(200)
                .extract().jsonPath().getString("find { it.name == 'maxmemory-policy' }.value"));

        WebElement account = browser.findElement(By.id("account"));
        account.findElement(By.name("accountName")).sendKeys("Console");
        account.findElement(By.name("accountPassword")).sendKeys("Passw0rd!");
        assertTrue(submit(account).startsWith("InvalidParameter: The account name 'Console' is not valid"), "the API's message");
        account.findElement(By.name("accountName")).clear();
        account.findElement(By.name("accountName")).sendKeys("console_ro");
        new Select(account.findElement(By.name("accountPrivilege"))).selectByVisibleText("RoleReadOnly");
        account.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement row = waiting(10).until(d -> d.findElements(By.cssSelector("#accounts tbody tr")).stream()
                .filter(r -> r.getText().startsWith("console_ro")).findFirst().orElse(null));
        assertTrue(row.getText().contains("RoleReadOnly"), row.getText());
    }

    @Test
    @Order(4)
    void aLatencyFaultFromTheFormShowsOnTheTimelineAndTheLatencyChart() throws Exception {
        open("/console/instances/" + id + "/faults");
        WebElement form = form();
        new Select(form.findElement(By.name("type"))).selectByVisibleText("latency");
        form.findElement(By.name("shard")).sendKeys("0");
        new Select(form.findElement(By.name("node"))).selectByVisibleText("master");
        WebElement attributes = form.findElement(By.name("attributes"));
        attributes.clear();
        attributes.sendKeys("{\"latencyMs\": 200");
        assertTrue(submit(form).startsWith("InvalidParameter: The request body is not valid JSON"), "the API's message");

        attributes.clear();
        attributes.sendKeys("{\"latencyMs\": 200}");
        assertTrue(submit(form).startsWith("Started f-"), "the console reports the fault");
        WebElement active = waiting(10).until(d -> d.findElements(By.cssSelector("#faults tr[data-status=Active]")).stream()
                .findFirst().orElse(null));
        String faultId = active.getDomAttribute("data-fault");
        screenshot("faults");

        // the proxy's round trips to the master now take 200 ms more: the latency chart's maximum shows it (in ms)
        open("/console/instances/" + id);
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = client(stop, true);
        try {
            waiting(15).until(d -> number("return Math.max(0, ...window.kvsimCharts.latency.data[2].filter(v => v !== null));") >= 190);
        } finally {
            stop.set(true);
            reader.join(5000);
        }
        screenshot("instance-latency");

        open("/console/instances/" + id + "/events");
        WebElement span = browser.findElement(By.cssSelector("#timeline .span.active"));
        assertEquals("latency", span.getText());
        assertTrue(span.getDomAttribute("title").contains(faultId), span.getDomAttribute("title"));
        assertTrue(browser.findElement(By.id("events")).getText().contains("FaultStarted"));
        assertTrue(browser.findElements(By.cssSelector(".injected")).isEmpty(), "event details are text, never markup");

        open("/console/instances/" + id + "/faults");
        waiting(10).until(d -> d.findElements(By.cssSelector("#faults tr[data-fault='" + faultId + "'] button[data-stop]")).size() == 1);
        browser.findElement(By.cssSelector("#faults tr[data-fault='" + faultId + "'] button[data-stop]")).click();
        // stopped: it ends and the API forgets it (its end stays on the timeline)
        waiting(10).until(d -> d.findElements(By.cssSelector("#faults tr[data-fault='" + faultId + "']")).isEmpty());

        // a fault with a duration ends by itself on kvsim's clock, and the list shows it ended and why
        new Select(form().findElement(By.name("type"))).selectByVisibleText("delay");
        form().findElement(By.name("shard")).clear();
        new Select(form().findElement(By.name("node"))).selectByValue("");
        form().findElement(By.name("attributes")).clear();
        form().findElement(By.name("attributes")).sendKeys("{\"delayMs\": 5}");
        form().findElement(By.name("durationMs")).sendKeys("60000");
        assertTrue(submit(form()).startsWith("Started f-"));
        waiting(10).until(d -> d.findElements(By.cssSelector("#faults tr[data-status=Active]")).size() == 1);
        clock.advance(Duration.ofSeconds(61));
        WebElement ended = waiting(10).until(d -> d.findElements(By.cssSelector("#faults tr[data-status=Ended]")).stream()
                .findFirst().orElse(null));
        assertTrue(ended.getText().contains("duration elapsed"), ended.getText());
        assertTrue(ended.findElements(By.cssSelector("button[data-stop]")).isEmpty(), "nothing to stop");

        open("/console/instances/" + id + "/events");
        assertTrue(browser.findElements(By.cssSelector("#timeline .span.active")).isEmpty(), "both faults have ended");
        assertEquals(2, browser.findElements(By.cssSelector("#timeline .span")).size(), "each fault from its start to its end");
        assertTrue(browser.findElement(By.id("events")).getText().contains("FaultEnded"));
        screenshot("events");
    }

    @Test
    @Order(5)
    void theSlaMonthOpens() throws IOException {
        open("/console/instances/" + id + "/sla");
        assertEquals("yes", browser.findElement(By.cssSelector("#sla-summary [data-field=covered]")).getText(),
                "a dual-replica instance is covered");
        String month = browser.findElement(By.id("chart-sla")).getDomAttribute("data-month");
        int days = java.time.YearMonth.parse(month).lengthOfMonth();
        waiting(10).until(d -> number("return window.kvsimCharts.sla.data[0].length;") == days);
        assertTrue(browser.findElement(By.cssSelector("#sla-summary [data-field=credit]")).getText().startsWith("0"),
                browser.findElement(By.id("sla-summary")).getText());
        screenshot("sla");

        open("/console/instances/r-000000000000000000/sla");
        assertTrue(browser.findElement(By.id("refusal")).getText().contains("r-000000000000000000"),
                "an unknown instance is the API's refusal, as a page");
    }

    @Test
    @Order(6)
    void anInstanceIsDeletedFromTheList() {
        open("/console");
        browser.findElement(By.cssSelector("button[data-delete='" + id + "']")).click();
        browser.switchTo().alert().accept();  // "Delete r-…? Its nodes stop and its data is removed."
        waiting(20).until(d -> d.findElements(By.cssSelector("tr[data-instance='" + id + "']")).isEmpty());
        Instances.given().get("/api/v1/instances/" + id).then().statusCode(404);
        id = null;
    }
}
