// qmllint disable unqualified
// Delegates here reach their view by id. Qt 6.4 has no `pragma ComponentBehavior: Bound`
// (Qt 6.5), so its linter reports every such access as unqualified; only that check is off,
// only in files with delegates. Replace this with the pragma when the project moves past 6.4.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire.Models

// Price alerts (Ctrl+5): a form to add one, and every alert with its state, armed or fired,
// to re-arm or remove. Alerts are evaluated by the app on every quote (AlertBook), not here.
Item {
    id: view

    required property AlertBook model
    required property SymbolSearch search
    required property Theme theme
    // The settings' alert sound, and the user's change of it.
    property bool sound: false
    signal soundToggled(bool on)
    // Whether closing the window keeps the app in the tray (offered where there is a tray).
    property bool trayAvailable: false
    property bool keepInTray: true
    signal keepInTrayToggled(bool on)

    readonly property var kinds: [
        { name: "above", label: qsTr("Price at or above"), unit: "$" },
        { name: "below", label: qsTr("Price at or below"), unit: "$" },
        { name: "dayChange", label: qsTr("Day change beyond ±"), unit: "%" },
        { name: "move", label: qsTr("Moves within minutes"), unit: "%" }
    ]

    // From a row's menu or the quote detail: the form, ready for that symbol.
    function prefill(symbol: string) {
        symbolField.text = symbol
        formError.text = ""
        levelField.forceActiveFocus()
    }
    function add() {
        const problem = view.search.problemWith(symbolField.text)
        if (problem !== "") {
            formError.text = problem
            return
        }
        const kind = view.kinds[kindPicker.currentIndex].name
        const error = view.model.add(symbolField.text, kind, Number(levelField.text),
                                     Number(minutesField.text), rearmBox.checked)
        formError.text = error
        if (error === "")
            levelField.clear()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 10
            spacing: 8

            TextField {
                id: symbolField

                objectName: "alertSymbol"
                placeholderText: qsTr("Symbol")
                Accessible.name: qsTr("Alert symbol")
                Layout.preferredWidth: 100
                onAccepted: view.add()
            }
            ComboBox {
                id: kindPicker

                objectName: "alertKind"
                Accessible.name: qsTr("Alert kind")
                Layout.preferredWidth: 210
                model: view.kinds.map(k => k.label)
            }
            TextField {
                id: levelField

                objectName: "alertLevel"
                placeholderText: view.kinds[kindPicker.currentIndex].unit === "$" ? qsTr("Price")
                                                                                   : qsTr("Percent")
                Accessible.name: placeholderText
                validator: DoubleValidator { bottom: 0 }
                Layout.preferredWidth: 100
                onAccepted: view.add()
            }
            TextField {
                id: minutesField

                objectName: "alertMinutes"
                visible: view.kinds[kindPicker.currentIndex].name === "move"
                placeholderText: qsTr("Minutes")
                Accessible.name: qsTr("Window in minutes")
                text: "5"
                validator: IntValidator { bottom: 1; top: 60 }
                Layout.preferredWidth: 80
            }
            CheckBox {
                id: rearmBox

                objectName: "alertRearm"
                text: qsTr("Re-arm by itself")
            }
            CheckBox {
                objectName: "alertSound"
                text: qsTr("Sound")
                checked: view.sound
                onToggled: view.soundToggled(checked)
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Fired alerts play the desktop's message sound")
            }
            CheckBox {
                objectName: "alertKeepInTray"
                visible: view.trayAvailable
                text: qsTr("Keep running in the tray")
                checked: view.keepInTray
                onToggled: view.keepInTrayToggled(checked)
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Closing the window hides it in the tray, and alerts keep firing")
            }
            Button {
                objectName: "alertAdd"
                text: qsTr("Add alert")
                onClicked: view.add()
            }
            Text {
                id: formError

                objectName: "alertError"
                Layout.fillWidth: true
                color: view.theme.red
                elide: Text.ElideRight
            }
        }

        Text {
            Layout.leftMargin: 10
            Layout.bottomMargin: 6
            text: view.model.rowCount() === 0 && alertList.count === 0
                  ? qsTr("No alerts yet. Add one above, or from a row's menu (right click) or the quote detail.")
                  : qsTr("%1 alert(s), %2 fired. An alert fires once when its level is crossed, then waits to be re-armed.")
                        .arg(alertList.count).arg(view.model.firedCount)
            color: view.theme.textMuted
            font.pixelSize: view.theme.px(12)
        }

        ListView {
            id: alertList

            objectName: "alertList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: view.model
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}
            delegate: Rectangle {
                id: alertRow

                required property int index
                required property string description
                required property string state
                required property bool autoRearm
                required property var firedAt
                required property real firedValue
                required property string kind

                width: alertList.width
                height: 44
                color: alertRow.state === "fired" ? Qt.alpha(view.theme.warning, 0.18)
                     : alertRow.index % 2 ? view.theme.surfaceAlt : view.theme.surface
                Accessible.name: alertRow.description + ", " + stateText.text

                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: 12
                    anchors.rightMargin: 12
                    spacing: 12

                    Text {
                        Layout.preferredWidth: 320
                        text: alertRow.description + (alertRow.autoRearm ? qsTr("  (re-arms)") : "")
                        color: view.theme.text
                        font.bold: true
                        elide: Text.ElideRight
                    }
                    Text {
                        id: stateText

                        Layout.fillWidth: true
                        text: alertRow.state === "fired"
                              ? qsTr("Fired at %1 (%2)")
                                    .arg(new Date(Number(alertRow.firedAt)).toLocaleTimeString(Qt.locale(), Locale.ShortFormat))
                                    .arg(alertRow.kind === "above" || alertRow.kind === "below"
                                         ? alertRow.firedValue.toFixed(2)
                                         : alertRow.firedValue.toFixed(2) + "%")
                              : alertRow.state === "watching" ? qsTr("Armed, watching")
                              : qsTr("Armed, waiting for the value to be on the other side of its level")
                        color: alertRow.state === "fired" ? view.theme.warning : view.theme.textMuted
                        elide: Text.ElideRight
                    }
                    Button {
                        text: qsTr("Re-arm")
                        visible: alertRow.state === "fired"
                        onClicked: view.model.rearmAt(alertRow.index)
                    }
                    Button {
                        text: qsTr("Remove")
                        onClicked: view.model.removeAt(alertRow.index)
                    }
                }
            }
        }
    }
}
