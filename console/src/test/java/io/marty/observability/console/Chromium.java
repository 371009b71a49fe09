package io.marty.observability.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Headless Chromium for the console's UI tests (the system chromium and chromedriver). */
final class Chromium {
    private Chromium() {}

    static ChromeDriver start(Path userDataDir, String windowSize) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=" + windowSize,
                "--user-data-dir=" + userDataDir);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    static WebElement waitFor(ChromeDriver driver, By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(15))
                .until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Saves a screenshot to {@code target/screenshots/<name>.png}. */
    static void screenshot(ChromeDriver driver, String name) throws IOException {
        screenshot(driver, name, false);
    }

    /**
     * Saves a screenshot to {@code target/screenshots/<name>.png} and, for the docs with
     * {@code -Dmmf.regenerate=true}, to {@code docs/images/console/} (what docs/console.md shows).
     */
    static void screenshot(ChromeDriver driver, String name, boolean forDocs) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        if (forDocs && Boolean.getBoolean("mmf.regenerate")) {
            Path docs = Path.of("..", "docs", "images", "console");
            Files.createDirectories(docs);
            Files.copy(shot, docs.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
