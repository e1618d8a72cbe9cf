import QtQuick
import QtQuick.Controls

// The row context menu.
Menu {
    id: menu

    signal remove()
    signal alert()

    MenuItem {
        text: qsTr("Add alert…")
        onTriggered: menu.alert()
    }
    MenuItem {
        text: qsTr("Remove from list")
        onTriggered: menu.remove()
    }
}
