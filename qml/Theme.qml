import QtQuick

// Colours for both themes and both colour conventions (green or red for "up").
QtObject {
    id: theme

    property bool dark: false
    property bool redMeansUp: false

    readonly property color background: dark ? "#14171c" : "#f7f8fa"
    readonly property color surface: dark ? "#1d2128" : "#ffffff"
    readonly property color surfaceAlt: dark ? "#232832" : "#f0f2f5"
    readonly property color text: dark ? "#e8eaed" : "#1b1f24"
    readonly property color textMuted: dark ? "#9aa3ad" : "#5f6b77"
    readonly property color border: dark ? "#2e3440" : "#dde1e6"
    readonly property color accent: dark ? "#6ea8ff" : "#1f6feb"
    readonly property color green: dark ? "#3fb950" : "#1a7f37"
    readonly property color red: dark ? "#f85149" : "#cf222e"
    readonly property color up: redMeansUp ? red : green
    readonly property color down: redMeansUp ? green : red
    readonly property color flashUp: Qt.alpha(up, 0.35)
    readonly property color flashDown: Qt.alpha(down, 0.35)
    readonly property color warning: dark ? "#d29922" : "#9a6700"

    function moveColor(value: real): color {
        return value > 0 ? theme.up : (value < 0 ? theme.down : theme.textMuted)
    }
}
