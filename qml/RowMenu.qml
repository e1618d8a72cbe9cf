import QtQuick
import QtQuick.Controls

// The row context menu.
Menu {
    id: menu

    signal remove()

    MenuItem {
        text: qsTr("Remove from list")
        onTriggered: menu.remove()
    }
}
