package ch.cern.alice.lakehouse.scenario.browser;

import ch.cern.alice.lakehouse.webui.browser.BrowserSession;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.util.List;

/** Drives the web UI's type-to-filter version picker (components/refPicker.ts) as a user does. */
final class RefPickerInBrowser {

    private final BrowserSession browser;
    /** CSS of the picker's element, e.g. {@code .ref-picker} or {@code [data-picker=diff-from]} */
    private final String picker;

    RefPickerInBrowser(BrowserSession browser, String picker) {
        this.browser = browser;
        this.picker = picker;
    }

    RefPickerInBrowser(BrowserSession browser) {
        this(browser, ".page .ref-picker");
    }

    WebElement input() {
        return browser.waitFor(picker + " .ref-input");
    }

    /** Opens the list without typing: main, tags, then branches by last update. */
    WebElement open() {
        WebElement input = input();
        input.click();
        return browser.waitFor(picker + " .ref-options");
    }

    /** Types {@code text} (replacing what is there) and waits until the list shows only matches of it. */
    List<WebElement> type(String text) {
        WebElement input = input();
        input.click();
        String before = refs();
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), text);
        browser.waiting().until(d -> {
            String now = refs();
            return !now.equals(before) && !now.isEmpty()
                    && java.util.Arrays.stream(now.split("\n")).allMatch(ref -> ref.contains(text));
        });
        return options();
    }

    /** The refs of the list's entries, one a line, read at once. */
    private String refs() {
        Object refs = browser.driver().executeScript("return [...document.querySelectorAll(arguments[0])]"
                + ".map(o => o.getAttribute('data-ref')).join('\\n');", picker + " li.ref-option:not(.ref-latest)");
        return String.valueOf(refs);
    }

    /** Picks a branch, tag, commit id (or v:/ts: ref) by typing it and clicking its entry. */
    void choose(String ref) {
        WebElement input = input();
        input.click();
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), ref);
        By entry = By.cssSelector(picker + " li.ref-option[data-ref='" + ref + "']");
        // the list is drawn again when the filtered answer arrives: an entry found just before may be gone (stale)
        browser.waiting().ignoring(StaleElementReferenceException.class).until(d -> {
            WebElement clickable = ExpectedConditions.elementToBeClickable(entry).apply(d);
            if (clickable == null) {
                return false;
            }
            clickable.click();
            return true;
        });
        // read at once by script: a page may re-attach the picker while it reloads for the new version
        browser.waiting().until(d -> Boolean.TRUE.equals(browser.driver().executeScript(
                "const p = document.querySelector(arguments[0]);"
                        + " return !!p && p.querySelector('.ref-input').value === arguments[1]"
                        + " && p.querySelector('.ref-options').hidden;", picker, ref)));
    }

    /** Sets the "mine" switch and waits for the list to reload. */
    void mine(boolean on) {
        WebElement mine = browser.driver().findElement(By.cssSelector(picker + " .ref-mine"));
        if (mine.isSelected() != on) {
            String before = browser.textContent(picker + " .ref-options");
            mine.click();
            browser.waiting().until(d -> !before.equals(browser.textContent(picker + " .ref-options")));
        }
    }

    /** The branches and tags listed (not the "latest data" entry). */
    List<WebElement> options() {
        return browser.driver().findElements(By.cssSelector(picker + " li.ref-option:not(.ref-latest)"));
    }

    void close() {
        input().sendKeys(Keys.ESCAPE);
    }
}
