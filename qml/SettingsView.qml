import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire.Models

// Theme, flash, colour convention and the data source: the built-in simulator, Alpaca or Finnhub
// (their keys typed masked and kept by the SecretStore: the system keyring, else an owner-only
// file, which the view names), or a Tickwire server (URL, CA file, tokens; the tokens are kept
// in the settings file, which only its owner can read). Applied with one button.
Item {
    id: view

    required property AppController app
    required property Theme theme

    ColumnLayout {
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.margins: 20
        spacing: 12

        Switch {
            objectName: "darkSwitch"
            text: qsTr("Dark theme")
            checked: view.app.settings.darkTheme
            onToggled: view.app.settings.darkTheme = checked
        }
        Switch {
            text: qsTr("Flash prices when they change")
            checked: view.app.settings.flashEnabled
            onToggled: view.app.settings.flashEnabled = checked
        }
        Switch {
            objectName: "reducedMotion"
            text: qsTr("Reduce motion (no flashes, no animations)")
            checked: view.app.settings.reducedMotion
            onToggled: view.app.settings.reducedMotion = checked
        }
        RowLayout {
            Label {
                text: qsTr("Up and down")
                color: view.theme.text
            }
            ComboBox {
                objectName: "colorScheme"
                Accessible.name: qsTr("Colours for up and down")
                Layout.preferredWidth: 330
                readonly property var schemes: ["greenUp", "redUp", "blueOrange"]
                model: [qsTr("Green up, red down"), qsTr("Red up, green down (East Asian)"),
                        qsTr("Blue up, orange down (colour-blind safe)")]
                currentIndex: Math.max(0, schemes.indexOf(view.app.settings.colorScheme))
                onActivated: index => view.app.settings.colorScheme = schemes[index]
            }
        }
        RowLayout {
            Label {
                text: qsTr("Text size")
                color: view.theme.text
            }
            Slider {
                objectName: "fontScale"
                Accessible.name: qsTr("Text size")
                from: 0.8
                to: 1.6
                stepSize: 0.1
                snapMode: Slider.SnapAlways
                value: view.app.settings.fontScale
                onMoved: view.app.settings.fontScale = value
            }
            Label {
                text: Math.round(view.app.settings.fontScale * 100) + " %"
                color: view.theme.textMuted
            }
        }
        Label {
            text: qsTr("Data source")
            font.bold: true
            color: view.theme.text
        }
        ButtonGroup {
            id: sourceGroup
        }
        RadioButton {
            id: simulator

            objectName: "sourceSimulator"
            ButtonGroup.group: sourceGroup
            text: qsTr("Built-in exchange simulator (works offline)")
            checked: view.app.settings.dataSource === "simulator"
        }
        RowLayout {
            RadioButton {
                id: alpaca

                objectName: "sourceAlpaca"
                ButtonGroup.group: sourceGroup
                text: qsTr("Alpaca")
                checked: view.app.settings.dataSource === "alpaca"
            }
            ComboBox {
                id: alpacaFeed

                objectName: "alpacaFeed"
                enabled: alpaca.checked
                model: ["iex", "sip", "delayed_sip", "test"]
                currentIndex: Math.max(0, model.indexOf(view.app.settings.alpacaFeed))
            }
            TextField {
                id: alpacaKeyId

                objectName: "alpacaKeyId"
                enabled: alpaca.checked
                Layout.preferredWidth: 170
                echoMode: TextInput.Password
                placeholderText: view.app.alpacaKeysStored ? qsTr("key ID (stored)")
                                                                             : qsTr("API key ID")
            }
            TextField {
                id: alpacaSecret

                objectName: "alpacaSecret"
                enabled: alpaca.checked
                Layout.preferredWidth: 170
                echoMode: TextInput.Password
                placeholderText: view.app.alpacaKeysStored ? qsTr("secret (stored)")
                                                                             : qsTr("secret key")
            }
            Button {
                text: qsTr("Forget")
                visible: view.app.alpacaKeysStored
                onClicked: view.app.forgetKeys("alpaca")
            }
        }
        RowLayout {
            RadioButton {
                id: finnhub

                objectName: "sourceFinnhub"
                ButtonGroup.group: sourceGroup
                text: qsTr("Finnhub")
                checked: view.app.settings.dataSource === "finnhub"
            }
            TextField {
                id: finnhubToken

                objectName: "finnhubToken"
                enabled: finnhub.checked
                Layout.preferredWidth: 280
                echoMode: TextInput.Password
                placeholderText: view.app.finnhubKeyStored ? qsTr("token (stored)")
                                                                              : qsTr("API token")
            }
            Button {
                text: qsTr("Forget")
                visible: view.app.finnhubKeyStored
                onClicked: view.app.forgetKeys("finnhub")
            }
        }
        RowLayout {
            RadioButton {
                id: remote

                objectName: "sourceRemote"
                ButtonGroup.group: sourceGroup
                text: qsTr("A Tickwire server")
                checked: view.app.settings.dataSource === "remote"
            }
            TextField {
                id: url

                Layout.preferredWidth: 280
                placeholderText: "https://host:8443"
                text: view.app.settings.remoteUrl
                enabled: remote.checked
            }
        }
        GridLayout {
            columns: 2
            enabled: remote.checked

            Label {
                text: qsTr("CA file (PEM, for a private CA)")
                color: view.theme.text
            }
            TextField {
                id: caFile

                objectName: "caFileField"
                Layout.preferredWidth: 280
                placeholderText: qsTr("none: the system's CAs only")
                text: view.app.settings.caFile
            }
            Label {
                text: qsTr("Token")
                color: view.theme.text
            }
            TextField {
                id: token

                objectName: "tokenField"
                Layout.preferredWidth: 280
                echoMode: TextInput.Password
                placeholderText: qsTr("none")
                text: view.app.settings.token
            }
            Label {
                text: qsTr("Admin token (operator view)")
                color: view.theme.text
            }
            TextField {
                id: adminToken

                objectName: "adminTokenField"
                Layout.preferredWidth: 280
                echoMode: TextInput.Password
                placeholderText: qsTr("none")
                text: view.app.settings.adminToken
            }
        }
        Button {
            objectName: "applySource"
            text: qsTr("Apply data source")
            onClicked: {
                if (remote.checked) {
                    view.app.settings.remoteUrl = url.text
                    view.app.settings.caFile = caFile.text
                    view.app.settings.token = token.text
                    view.app.settings.adminToken = adminToken.text
                    view.app.settings.dataSource = "remote"
                    view.app.applyServerSettings()
                } else {
                    view.app.applyDataSource(alpaca.checked ? "alpaca" : finnhub.checked ? "finnhub"
                                                                                         : "simulator",
                                             alpacaFeed.currentText, alpacaKeyId.text,
                                             alpacaSecret.text, finnhubToken.text)
                }
                // Keys are not kept in the fields once stored.
                alpacaKeyId.text = ""
                alpacaSecret.text = ""
                finnhubToken.text = ""
            }
        }
        Label {
            objectName: "sourceError"
            visible: view.app.sourceError !== ""
            text: qsTr("The data source cannot start: %1").arg(view.app.sourceError)
            color: view.theme.red
        }
        Label {
            text: qsTr("Provider keys are kept in %1.").arg(view.app.secrets.location)
            color: view.app.secrets.inKeyring ? view.theme.textMuted : view.theme.warning
            font.pixelSize: view.theme.px(11)
        }
        Label {
            text: qsTr("Settings file: %1").arg(view.app.settings.fileName)
            color: view.theme.textMuted
            font.pixelSize: view.theme.px(11)
        }
        Label {
            text: qsTr("Keys: Ctrl+N add symbol · ↑/↓ and Enter in its suggestions · ↑/↓ rows, Ctrl+↑/↓ reorder · Delete remove row · Menu or Shift+F10 row menu · Ctrl+PgUp/PgDown switch list · Ctrl+1…5 screens")
            color: view.theme.textMuted
            font.pixelSize: view.theme.px(11)
        }
    }
}
