import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Tickwire.Models

// The application window: screens in tabs, the connection badge always visible.
ApplicationWindow {
    id: root

    required property AppController app

    width: 1280
    height: 760
    visible: true
    title: qsTr("Tickwire")
    color: theme.background
    font.pixelSize: theme.px(13)  // the controls' text, scaled with the user's text size
    palette.window: theme.background
    palette.base: theme.surface
    palette.alternateBase: theme.surfaceAlt
    palette.text: theme.text
    palette.windowText: theme.text
    palette.button: theme.surfaceAlt
    palette.buttonText: theme.text
    palette.highlight: theme.accent
    palette.placeholderText: theme.textMuted

    // Closed where the desktop has a tray: hidden there, and alerts keep firing (Tray).
    onClosing: close => {
        if (root.app.tray.available && root.app.settings.closeToTray) {
            close.accepted = false
            root.app.tray.holdingWindow = true
            root.hide()
        }
    }
    Connections {
        target: root.app.tray
        function onShowRequested() {
            root.app.tray.holdingWindow = false
            root.show()
            root.raise()
            root.requestActivate()
        }
        function onQuitRequested() {
            Qt.quit()
        }
    }

    // Import and export as CSV (the views ask; a .csv dropped on the window imports too).
    function importFile() {
        fileDialog.exporting = ""
        fileDialog.fileMode = FileDialog.OpenFile
        fileDialog.open()
    }
    function exportFile(what: string) {
        fileDialog.exporting = what
        fileDialog.fileMode = FileDialog.SaveFile
        fileDialog.selectedFile = "file:///tickwire-" + what + ".csv"
        fileDialog.open()
    }
    function showResult(result: var) {
        importResult.title = result.summary
        importResult.problems = result.problems ?? []
        importResult.open()
    }

    FileDialog {
        id: fileDialog

        property string exporting: ""

        nameFilters: [qsTr("CSV files (*.csv)"), qsTr("All files (*)")]
        onAccepted: root.showResult(exporting === "" ? root.app.importCsv(selectedFile)
                                                     : root.app.exportCsv(selectedFile, exporting))
    }
    DropArea {
        anchors.fill: parent
        keys: ["text/uri-list"]
        onDropped: drop => {
            for (const url of drop.urls)
                root.showResult(root.app.importCsv(url))
            drop.accept()
        }
    }
    Popup {
        id: importResult

        property string title
        property list<string> problems

        objectName: "importResult"
        anchors.centerIn: parent
        width: 560
        padding: 16
        modal: true
        ColumnLayout {
            width: parent.width
            spacing: 8
            Text {
                Layout.fillWidth: true
                text: importResult.title
                color: theme.text
                wrapMode: Text.WordWrap
                font.bold: true
            }
            Text {
                objectName: "importProblems"
                Layout.fillWidth: true
                visible: importResult.problems.length > 0
                text: importResult.problems.slice(0, 12).join("\n")
                color: theme.red
                wrapMode: Text.WordWrap
            }
            Text {
                visible: importResult.problems.length > 12
                text: qsTr("… and %1 more").arg(importResult.problems.length - 12)
                color: theme.textMuted
            }
            Button {
                text: qsTr("Close")
                onClicked: importResult.close()
            }
        }
    }

    Theme {
        id: theme

        dark: root.app.settings.darkTheme
        scheme: root.app.settings.colorScheme
        fontScale: root.app.settings.fontScale
    }

    Shortcut {
        sequences: ["Ctrl+N", "Ctrl+F"]
        onActivated: {
            root.app.page = 0
            watchlist.focusSearch()
        }
    }
    Shortcut {
        sequence: "Ctrl+PgDown"
        onActivated: watchlist.switchList(1)
    }
    Shortcut {
        sequence: "Ctrl+PgUp"
        onActivated: watchlist.switchList(-1)
    }
    Shortcut {
        sequence: "Ctrl+1"
        onActivated: root.app.page = 0
    }
    Shortcut {
        sequence: "Ctrl+2"
        onActivated: root.app.page = 1
    }
    Shortcut {
        sequence: "Ctrl+3"
        onActivated: root.app.page = 2
    }
    Shortcut {
        sequence: "Ctrl+4"
        onActivated: root.app.page = 3
    }
    Shortcut {
        sequence: "Ctrl+5"
        onActivated: root.app.page = 4
    }

    header: ToolBar {
        background: Rectangle {
            color: theme.surface
            border.color: theme.border
        }
        RowLayout {
            anchors.fill: parent
            anchors.rightMargin: 10

            Text {
                Layout.leftMargin: 14
                text: "Tickwire"
                color: theme.accent
                font.pixelSize: theme.px(18)
                font.bold: true
            }
            TabBar {
                id: tabs

                Layout.leftMargin: 10
                currentIndex: root.app.page
                onCurrentIndexChanged: root.app.page = currentIndex

                TabButton {
                    text: qsTr("Watchlist")
                    width: implicitWidth + 20
                }
                TabButton {
                    text: qsTr("Portfolio")
                    width: implicitWidth + 20
                }
                TabButton {
                    text: qsTr("Operator")
                    width: implicitWidth + 20
                }
                TabButton {
                    text: qsTr("Settings")
                    width: implicitWidth + 20
                }
                TabButton {
                    objectName: "alertsTab"
                    text: root.app.alerts.firedCount > 0 ? qsTr("Alerts (%1)").arg(root.app.alerts.firedCount)
                                                         : qsTr("Alerts")
                    width: implicitWidth + 20
                }
            }
            Item {
                Layout.fillWidth: true
            }
            Text {
                // The US market's session (New York time), whatever the data source.
                objectName: "sessionBadge"
                text: root.app.marketSession
                color: theme.textMuted
                font.pixelSize: theme.px(12)
                Accessible.name: text
            }
            ConnectionBadge {
                feed: root.app.feed
                theme: theme
                backendMode: root.app.backendMode
                marketClosed: root.app.marketClosed
                sourceError: root.app.sourceError
            }
        }
    }

    StackLayout {
        anchors.fill: parent
        currentIndex: root.app.page

        WatchlistView {
            id: watchlist

            objectName: "watchlistView"
            model: root.app.watchlist
            search: root.app.search
            theme: theme
            flashEnabled: root.app.settings.flashEnabled && !root.app.settings.reducedMotion
            alerts: root.app.alerts
            quotes: root.app.quotes
            intraday: root.app.intraday
            onImportRequested: root.importFile()
            onExportRequested: root.exportFile("watchlists")
            onPortfolioRequested: symbol => {
                root.app.page = 1
                portfolioView.prefill(symbol)
            }
            onAlertRequested: symbol => {
                root.app.page = 4
                alertsView.prefill(symbol)
            }
        }
        PortfolioView {
            id: portfolioView

            model: root.app.portfolio
            search: root.app.search
            theme: theme
            onImportRequested: root.importFile()
            onExportRequested: root.exportFile("positions")
        }
        OperatorView {
            model: root.app.operatorView
            theme: theme
        }
        SettingsView {
            app: root.app
            theme: theme
        }
        AlertsView {
            id: alertsView

            model: root.app.alerts
            search: root.app.search
            theme: theme
            sound: root.app.settings.alertSound
            onSoundToggled: on => root.app.settings.alertSound = on
            trayAvailable: root.app.tray.available
            keepInTray: root.app.settings.closeToTray
            onKeepInTrayToggled: on => root.app.settings.closeToTray = on
        }
    }

    // A fired alert, where the desktop has no notification service to show it.
    Rectangle {
        objectName: "alertBanner"
        visible: root.app.notifier.bannerTitle !== ""
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 16
        width: 360
        height: bannerColumn.implicitHeight + 24
        radius: 8
        color: theme.surface
        border.color: theme.warning
        border.width: 2
        Accessible.role: Accessible.AlertMessage
        Accessible.name: root.app.notifier.bannerTitle + ". " + root.app.notifier.bannerBody

        ColumnLayout {
            id: bannerColumn

            anchors.fill: parent
            anchors.margins: 12
            Text {
                Layout.fillWidth: true
                text: root.app.notifier.bannerTitle
                color: theme.text
                font.bold: true
                elide: Text.ElideRight
            }
            Text {
                Layout.fillWidth: true
                text: root.app.notifier.bannerBody
                color: theme.textMuted
                wrapMode: Text.WordWrap
            }
            RowLayout {
                Button {
                    text: qsTr("Show alerts")
                    onClicked: {
                        root.app.page = 4
                        root.app.notifier.dismissBanner()
                    }
                }
                Button {
                    text: qsTr("Dismiss")
                    onClicked: root.app.notifier.dismissBanner()
                }
            }
        }
    }
}
