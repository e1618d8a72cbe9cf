// qmllint disable unqualified
// Delegates here reach their view by id. Qt 6.4 has no `pragma ComponentBehavior: Bound`
// (Qt 6.5), so its linter reports every such access as unqualified; only that check is off,
// only in files with delegates. Replace this with the pragma when the project moves past 6.4.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire.Models

// Every tier of every node, live: key figures and a chart of the headline rate.
Item {
    id: view

    required property OperatorModel model
    required property Theme theme

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 10

        Text {
            objectName: "operatorStatus"
            text: view.model.problem !== "" ? view.model.problem
                : view.model.live ? qsTr("Live — %1 node(s), updated every second").arg(view.model.nodeCount)
                : qsTr("Waiting for the metrics stream…")
            color: view.model.problem !== "" ? view.theme.red : view.theme.textMuted
        }
        GridView {
            id: grid

            objectName: "operatorCards"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            cellWidth: Math.max(300, Math.floor(width / Math.max(1, Math.floor(width / 330))))
            cellHeight: 330
            model: view.model
            delegate: Item {
                id: cell

                required property string tier
                required property string node
                required property var items
                required property string rateLabel
                required property list<real> rateTimes
                required property list<real> rateValues

                width: grid.cellWidth
                height: grid.cellHeight

                Rectangle {
                    anchors.fill: parent
                    anchors.margins: 6
                    radius: 8
                    color: view.theme.surface
                    border.color: view.theme.border

                    ColumnLayout {
                        anchors.fill: parent
                        anchors.margins: 12
                        spacing: 4

                        Text {
                            text: cell.tier.charAt(0).toUpperCase() + cell.tier.slice(1)
                            color: view.theme.text
                            font.pixelSize: view.theme.px(16)
                            font.bold: true
                        }
                        Text {
                            text: cell.node
                            color: view.theme.textMuted
                            font.pixelSize: view.theme.px(11)
                        }
                        Repeater {
                            model: cell.items
                            delegate: RowLayout {
                                required property var modelData

                                Layout.fillWidth: true
                                Text {
                                    Layout.fillWidth: true
                                    text: modelData.label
                                    color: view.theme.textMuted
                                    font.pixelSize: view.theme.px(12)
                                    elide: Text.ElideRight
                                }
                                Text {
                                    text: modelData.value
                                    color: view.theme.text
                                    font.pixelSize: view.theme.px(12)
                                    font.bold: true
                                }
                            }
                        }
                        Item {
                            Layout.fillHeight: true
                        }
                        // The headline rate over the last minute, on a time axis; a pause in
                        // the node's reports (documents come every second) is a gap.
                        TimeChart {
                            objectName: "rateChart"
                            Layout.fillWidth: true
                            Layout.preferredHeight: 84
                            times: cell.rateTimes
                            values: cell.rateValues
                            unit: cell.rateLabel
                            windowSeconds: 60
                            gapSeconds: 2.5
                            lineColor: view.theme.accent
                            textColor: view.theme.textMuted
                            gridColor: view.theme.border
                            Accessible.name: qsTr("%1 of %2 over the last minute").arg(cell.rateLabel).arg(cell.node)
                        }
                    }
                }
            }
        }
    }
}
