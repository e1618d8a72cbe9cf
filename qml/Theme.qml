import QtQuick

// Colours for both themes and the colour schemes for up and down (green-up, red-up, and
// blue/orange for red-green colour blindness, after Okabe and Ito), text sizes scaled by the
// user's setting, and the up/down glyphs shown beside the colours.
QtObject {
    id: theme

    property bool dark: false
    property string scheme: "greenUp"
    readonly property bool redMeansUp: scheme === "redUp"
    property real fontScale: 1.0

    readonly property color background: dark ? "#14171c" : "#f7f8fa"
    readonly property color surface: dark ? "#1d2128" : "#ffffff"
    readonly property color surfaceAlt: dark ? "#232832" : "#f0f2f5"
    readonly property color text: dark ? "#e8eaed" : "#1b1f24"
    readonly property color textMuted: dark ? "#9aa3ad" : "#5f6b77"
    readonly property color border: dark ? "#2e3440" : "#dde1e6"
    readonly property color accent: dark ? "#6ea8ff" : "#1f6feb"
    readonly property color green: dark ? "#3fb950" : "#1a7f37"
    readonly property color red: dark ? "#f85149" : "#cf222e"
    readonly property color blue: dark ? "#56b4e9" : "#0072b2"
    readonly property color orange: dark ? "#e69f00" : "#d55e00"
    readonly property color up: scheme === "blueOrange" ? blue : redMeansUp ? red : green
    readonly property color down: scheme === "blueOrange" ? orange : redMeansUp ? green : red
    readonly property color flashUp: Qt.alpha(up, 0.35)
    readonly property color flashDown: Qt.alpha(down, 0.35)
    readonly property color warning: dark ? "#d29922" : "#9a6700"

    function moveColor(value: real): color {
        return value > 0 ? theme.up : (value < 0 ? theme.down : theme.textMuted)
    }
    // "▲ +1.50" / "▼ -0.03" / "0.00": the direction in a glyph, not only in a colour.
    function signed(value: real, decimals: int): string {
        const text = Math.abs(value).toFixed(decimals)
        return value > 0 ? "▲ +" + text : value < 0 ? "▼ −" + text : text
    }
    // A pixel size scaled by the user's text size.
    function px(size: real): int {
        return Math.round(size * theme.fontScale)
    }
}
