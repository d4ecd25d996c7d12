"""What every page of a journey must pass in the browser, and helpers to get around.

After each page loads: axe-core (WCAG 2.0, 2.1 and 2.2 A and AA rules, none silenced) finds
no violation; the browser reported no script error and nothing blocked by the content
security policy; GOV.UK Frontend's JavaScript ran (so the nonce on the template's inline
script worked); and the title is noted, to check titles are unique per page.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from tests.browser.conftest import Live

AXE_DIR = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " | " + n.failureSummary),
  }));
}"""
SUFFIX = " – Supervision file audit – Demo City Council"


class TitleBook:
    """Titles seen, by the route that made the page."""

    def __init__(self) -> None:
        self.by_route: dict[str, set[str]] = defaultdict(set)

    def note(self, route: str, title: str) -> None:
        self.by_route[route].add(title.removeprefix("Error: "))

    def shared(self) -> dict[str, list[str]]:
        """Titles that more than one route uses."""
        routes: dict[str, list[str]] = defaultdict(list)
        for route, found in self.by_route.items():
            for title in found:
                routes[title].append(route)
        return {title: sorted(r) for title, r in routes.items() if len(r) > 1}


class Checker:
    """A browser tab that checks each page it arrives at."""

    def __init__(self, page: Any, live: Live, titles: TitleBook) -> None:
        self.page, self.live, self.titles = page, live, titles
        self.problems: list[str] = []
        self.checked: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        if source.endswith("/favicon.ico"):
            return  # the browser asks for a favicon by itself; the service has none
        if source == self.page.url and message.text.startswith("Failed to load resource"):
            return  # the page itself: a form with errors is answered with 400 on purpose
        self.problems.append(f"console error on {self.page.url}: {message.text}")

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path

    def goto(self, path: str) -> Any:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, (path, response)
        self.check()
        return response

    def check(self) -> None:
        """Run every check on the page now showing."""
        page = self.page
        page.wait_for_load_state("load")
        assert "govuk-frontend-supported" in (page.get_attribute("body", "class") or ""), (
            f"{self.path}: GOV.UK Frontend's scripts did not run (blocked by the policy?)"
        )
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(url="/__axe__/axe.min.js")
        violations = page.evaluate(RUN_AXE, AXE_TAGS)
        assert not violations, f"{self.path}: accessibility violations:\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
            for v in violations
        )
        title = page.title()
        assert title.endswith(SUFFIX) and title.removesuffix(SUFFIX).strip(), title
        self.titles.note(self.route(), title)
        assert not self.problems, self.problems
        self.checked.append(self.path)

    def route(self) -> str:
        adapter = self.live.app.url_map.bind("127.0.0.1")
        try:
            endpoint, _ = adapter.match(self.path, method="GET")
        except Exception:  # noqa: BLE001 (a POST-only address: name it by its path)
            return self.path
        return str(endpoint)

    def click(self, role: str, name: str) -> None:
        """Press a button or follow a link by its accessible name, then check the new page."""
        self.follow(self.page.get_by_role(role, name=name, exact=True).first)

    def follow(self, locator: Any) -> None:
        """Click something that leads to another page, then check that page."""
        with self.page.expect_navigation():
            locator.click()
        self.check()

    def sign_in(self, key: str, password: str = "correct-horse-battery") -> None:
        self.goto("/sign-in")
        self.page.get_by_label("Email address", exact=True).fill(self.live.people[key].email)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.click("button", "Sign in")
        assert self.path == "/", self.page.url

    def sign_out(self) -> None:
        self.click("button", "Sign out")

    def error_summary_has_focus(self) -> bool:
        """GOV.UK Frontend moves focus to the error summary when the page loads."""
        self.page.wait_for_function(
            "document.activeElement && document.activeElement.matches('.govuk-error-summary')"
        )
        return True
