import QtQuick
import QtQuick.Layouts
import Tickwire.Models

// Always visible: live / no data for N s (connected, but nothing, not even a heartbeat, came
// for well past the expected interval) / stale (the server's cache tier is away) / market
// closed (a real provider outside US market hours) / reconnecting in N s / offline, the
// transport, latency (with its age once it is a few seconds old),
// the data source and server; or, when the server refused the token or its certificate is not
// trusted, or the data source cannot start, why, in red, in place of transport and latency
// (nothing is retried then).
Rectangle {
    id: badge

    required property FeedClient feed
    required property Theme theme
    required property string backendMode
    // Set by the app: a real provider outside US market hours, and a data source that failed.
    property bool marketClosed: false
    property string sourceError: ""

    readonly property string statusText: {
        switch (badge.feed.state) {
        case "connected":
            return badge.feed.silentFor > 0 ? qsTr("No data for %1 s").arg(badge.feed.silentFor)
                 : badge.feed.stale ? qsTr("Stale")
                 : badge.marketClosed ? qsTr("Market closed") : qsTr("Live")
        case "connecting":
            return qsTr("Connecting…")
        case "reconnecting":
            return qsTr("Reconnecting in %1 s").arg(badge.feed.reconnectIn)
        case "unauthorized":
            return qsTr("Not authorized")
        case "refused":
            return qsTr("Refused")
        case "untrusted":
            return qsTr("Untrusted server")
        default:
            return badge.sourceError !== "" ? qsTr("Data source failed") : qsTr("Offline")
        }
    }
    readonly property bool refused: badge.feed.state === "unauthorized"
                                    || badge.feed.state === "untrusted"
                                    || badge.feed.state === "refused"
                                    || badge.sourceError !== ""
    readonly property bool live: badge.feed.state === "connected" && !badge.feed.stale
                                 && badge.feed.silentFor === 0
    readonly property color statusColor: badge.live ? badge.theme.green
                                       : badge.feed.state === "offline" || badge.refused
                                         ? badge.theme.red
                                       : badge.theme.warning

    Accessible.role: Accessible.StaticText
    Accessible.name: badgeText.text

    implicitWidth: row.implicitWidth + 20
    implicitHeight: 28
    radius: 14
    color: badge.theme.surfaceAlt
    border.color: badge.theme.border

    RowLayout {
        id: row

        anchors.centerIn: parent
        spacing: 8

        Rectangle {
            width: 10
            height: 10
            radius: 5
            color: badge.statusColor
        }
        Text {
            id: badgeText

            objectName: "badgeText"
            text: badge.statusText + " · "
                  + (badge.sourceError !== "" ? badge.sourceError
                     : badge.refused ? badge.feed.lastError : badge.feed.transport)
                  + (badge.feed.state === "connected"
                     ? qsTr(" · %1 ms p50 · %2 ms p99").arg(badge.feed.latencyP50.toFixed(1))
                                                       .arg(badge.feed.latencyP99.toFixed(1))
                       + (badge.feed.latencyAge >= 3 ? qsTr(" (%1 s ago)").arg(badge.feed.latencyAge) : "")
                     : "")
                  + " · " + badge.backendMode
                  + (badge.feed.server !== "" ? " " + badge.feed.server.replace(/^https?:\/\//, "") : "")
            color: badge.refused ? badge.theme.red : badge.theme.text
            font.pixelSize: badge.theme.px(12)
        }
    }
}
