import QtQuick
import QtTest
import Tickwire.Ui
import Tickwire.Testing

TestCase {
    id: testCase

    name: "ConnectionBadge"
    when: windowShown

    Component {
        id: badgeComponent

        ConnectionBadge {
            feed: Fixtures.feed
            theme: Theme {}
            backendMode: "bundled"
        }
    }

    function test_a_feed_without_server_is_offline() {
        const badge = createTemporaryObject(badgeComponent, testCase)
        const text = findChild(badge, "badgeText")
        verify(text.text.startsWith("Offline · SSE"), text.text)
        verify(text.text.indexOf("bundled") > 0, text.text)
        compare(badge.statusColor, Qt.color(badge.theme.red))
    }

    function test_an_untrusted_server_says_why_in_red() {
        Fixtures.useMissingCaFile()
        const badge = createTemporaryObject(badgeComponent, testCase)
        const text = findChild(badge, "badgeText")
        verify(text.text.startsWith("Untrusted server · Cannot trust the server: the CA file "),
               text.text)
        verify(text.text.indexOf("Fix the CA file in Settings") > 0, text.text)
        verify(text.text.endsWith("bundled tickwire.example:8443"), text.text)
        compare(badge.statusColor, Qt.color(badge.theme.red))
        compare(text.color, Qt.color(badge.theme.red))
    }
}
