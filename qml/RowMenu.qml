// qmllint disable unqualified
// Delegates here reach their menu by id. Qt 6.4 has no `pragma ComponentBehavior: Bound`
// (Qt 6.5), so its linter reports every such access as unqualified, and, from an Instantiator's
// delegate, takes the menu for a plain Menu without the properties and signals declared below
// (those lines carry their own `qmllint disable`). Replace this with the pragma past Qt 6.4.
import QtQuick
import QtQuick.Controls

// The row context menu: an alert, moving or copying the row to another list or to the
// portfolio, removing it.
Menu {
    id: menu

    // The lists by name, and which one the row is in (it is left out of Move and Copy).
    property list<string> lists
    property int currentList: 0

    signal remove()
    signal alert()
    signal moveTo(int list)
    signal copyTo(int list)
    signal toPortfolio()

    MenuItem {
        text: qsTr("Add alert…")
        onTriggered: menu.alert()
    }
    Menu {
        id: moveMenu

        title: qsTr("Move to")
        enabled: menu.lists.length > 1
        Instantiator {
            model: menu.lists
            delegate: MenuItem {
                required property string modelData
                required property int index

                text: modelData
                visible: index !== menu.currentList // qmllint disable
                height: visible ? implicitHeight : 0
                onTriggered: menu.moveTo(index) // qmllint disable
            }
            onObjectAdded: (index, object) => moveMenu.insertItem(index, object)
            onObjectRemoved: (index, object) => moveMenu.removeItem(object)
        }
    }
    Menu {
        id: copyMenu

        title: qsTr("Copy to")
        enabled: menu.lists.length > 1
        Instantiator {
            model: menu.lists
            delegate: MenuItem {
                required property string modelData
                required property int index

                text: modelData
                visible: index !== menu.currentList // qmllint disable
                height: visible ? implicitHeight : 0
                onTriggered: menu.copyTo(index) // qmllint disable
            }
            onObjectAdded: (index, object) => copyMenu.insertItem(index, object)
            onObjectRemoved: (index, object) => copyMenu.removeItem(object)
        }
    }
    MenuItem {
        text: qsTr("Add to portfolio…")
        onTriggered: menu.toPortfolio()
    }
    MenuItem {
        text: qsTr("Remove from list")
        onTriggered: menu.remove()
    }
}
