import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire.Models

// Theme, flash, colour convention and the server choice (URL, CA file, tokens); all saved at
// once. Tokens are typed masked and kept in the settings file, which only its owner can read.
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
            text: qsTr("Red means up (East Asian convention)")
            checked: view.app.settings.redMeansUp
            onToggled: view.app.settings.redMeansUp = checked
        }
        Label {
            text: qsTr("Server")
            font.bold: true
            color: view.theme.text
        }
        RadioButton {
            id: bundled

            text: qsTr("Bundled backend (built-in exchange simulator)")
            checked: !view.app.settings.useRemote
        }
        RowLayout {
            RadioButton {
                id: remote

                text: qsTr("Remote frontend")
                checked: view.app.settings.useRemote
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
            text: qsTr("Apply server")
            onClicked: {
                view.app.settings.remoteUrl = url.text
                view.app.settings.caFile = caFile.text
                view.app.settings.token = token.text
                view.app.settings.adminToken = adminToken.text
                view.app.settings.useRemote = remote.checked
                view.app.applyServerSettings()
            }
        }
        Label {
            text: qsTr("Settings file: %1").arg(view.app.settings.fileName)
            color: view.theme.textMuted
            font.pixelSize: 11
        }
        Label {
            text: qsTr("Keys: Ctrl+N add symbol · Ctrl+F find · Delete remove row · Ctrl+PgUp/PgDown switch list · Ctrl+1…4 screens")
            color: view.theme.textMuted
            font.pixelSize: 11
        }
    }
}
