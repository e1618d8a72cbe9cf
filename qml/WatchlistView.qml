// qmllint disable unqualified
// Delegates here reach their view by id. Qt 6.4 has no `pragma ComponentBehavior: Bound`
// (Qt 6.5), so its linter reports every such access as unqualified; only that check is off,
// only in files with delegates. Replace this with the pragma when the project moves past 6.4.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire.Models

// Watchlists: list switcher, add-symbol field with completion, sortable columns, live rows,
// and the selected symbol's detail panel.
Item {
    id: view

    required property WatchlistModel model
    required property SymbolSearch search
    required property Theme theme
    required property bool flashEnabled
    // Fired alerts highlight their rows; none without it (the views' tests).
    property AlertBook alerts: null
    // The quotes' history, which the rows' price lines draw from.
    property QuoteBook quotes: null
    property IntradayBars intraday: null

    // "Add alert…" from a row's menu or the quote detail.
    signal alertRequested(string symbol)
    signal portfolioRequested(string symbol)
    signal importRequested()
    signal exportRequested()

    property int selectedRow: -1
    readonly property var columnWidths: [190, 90, 80, 80, 80, 80, 80, 130]
    readonly property var columns: [
        { title: qsTr("Symbol"), role: "symbol" }, { title: qsTr("Last"), role: "last" },
        { title: qsTr("Change"), role: "change" }, { title: qsTr("Change %"), role: "changePct" },
        { title: qsTr("Bid"), role: "bid" }, { title: qsTr("Ask"), role: "ask" },
        { title: qsTr("Volume"), role: "volume" }, { title: qsTr("Day range"), role: "dayLow" }
    ]

    function focusSearch() {
        addField.forceActiveFocus()
        addField.selectAll()
    }
    function removeSelected() {
        if (view.selectedRow >= 0) {
            view.model.removeSymbolAt(view.selectedRow)
            view.selectedRow = Math.min(view.selectedRow, view.model.rowCount() - 1)
        }
    }
    function switchList(step: int) {
        const n = view.model.listNames.length
        view.model.currentList = (view.model.currentList + step + n) % n
        view.selectedRow = -1
    }

    // The table from the keyboard (once a row was clicked, or Ctrl+1 gave the view focus):
    // ↑/↓ select, Ctrl+↑/↓ move the selected row within the list, Delete removes it, Escape
    // closes the detail.
    Keys.onDeletePressed: view.removeSelected()
    Keys.onUpPressed: event => view.step(-1, event.modifiers & Qt.ControlModifier)
    Keys.onDownPressed: event => view.step(1, event.modifiers & Qt.ControlModifier)
    Keys.onEscapePressed: view.selectedRow = -1
    // The selected row's menu from the keyboard (the Menu key or Shift+F10).
    Keys.onMenuPressed: view.openSelectedMenu()
    Shortcut {
        sequence: "Shift+F10"
        enabled: view.visible && view.selectedRow >= 0
        onActivated: view.openSelectedMenu()
    }

    // The selected row opens its own menu (WatchlistRow.openMenu).
    signal menuRequested(int row)
    function openSelectedMenu() {
        if (view.selectedRow >= 0)
            view.menuRequested(view.selectedRow)
    }

    function step(by: int, move: bool) {
        const n = view.model.rowCount()
        if (n === 0)
            return
        const from = view.selectedRow < 0 ? (by > 0 ? -1 : n) : view.selectedRow
        const to = Math.max(0, Math.min(n - 1, from + by))
        if (move && view.selectedRow >= 0 && to !== view.selectedRow)
            view.model.moveRow(view.selectedRow, to)
        view.selectedRow = to
        rows.positionViewAtIndex(to, ListView.Contain)
    }
    function renameCurrentList() {
        listName.text = view.model.listNames[view.model.currentList]
        renamePopup.open()
        listName.forceActiveFocus()
        listName.selectAll()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 10
            spacing: 8

            ComboBox {
                id: listPicker

                objectName: "listPicker"
                Layout.preferredWidth: 200
                model: view.model.listNames
                currentIndex: view.model.currentList
                onActivated: index => {
                    view.model.currentList = index
                    view.selectedRow = -1
                }
            }
            Button {
                text: qsTr("New list")
                onClicked: {
                    view.model.addList("")
                    view.renameCurrentList()  // name it at once
                }
            }
            Button {
                id: listMenuButton

                objectName: "listMenuButton"
                text: qsTr("List ▾")
                Accessible.name: qsTr("List actions")
                onClicked: listMenu.popup(listMenuButton, 0, listMenuButton.height)

                Menu {
                    id: listMenu

                    MenuItem {
                        text: qsTr("Rename…")
                        onTriggered: view.renameCurrentList()
                    }
                    MenuItem {
                        text: qsTr("Move left")
                        enabled: view.model.currentList > 0
                        onTriggered: view.model.moveList(view.model.currentList, view.model.currentList - 1)
                    }
                    MenuItem {
                        text: qsTr("Move right")
                        enabled: view.model.currentList < view.model.listNames.length - 1
                        onTriggered: view.model.moveList(view.model.currentList, view.model.currentList + 1)
                    }
                    MenuItem {
                        text: qsTr("Import CSV…")
                        onTriggered: view.importRequested()
                    }
                    MenuItem {
                        text: qsTr("Export lists as CSV…")
                        onTriggered: view.exportRequested()
                    }
                    MenuItem {
                        text: qsTr("Delete list")
                        enabled: view.model.listNames.length > 1
                        onTriggered: view.model.removeList(view.model.currentList)
                    }
                }
                Popup {
                    id: renamePopup

                    y: listMenuButton.height
                    padding: 8
                    TextField {
                        id: listName

                        objectName: "listName"
                        width: 220
                        placeholderText: qsTr("List name")
                        Accessible.name: qsTr("List name")
                        onAccepted: {
                            view.model.renameList(view.model.currentList, listName.text)
                            renamePopup.close()
                        }
                        Keys.onEscapePressed: renamePopup.close()
                    }
                }
            }
            CheckBox {
                objectName: "liveSort"
                text: qsTr("Keep sorted")
                checked: view.model.liveSort
                enabled: view.model.sortRole !== ""
                onToggled: view.model.liveSort = checked
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Re-sort the rows as prices move (once a second)")
            }
            Item {
                Layout.fillWidth: true
            }
            Text {
                id: addError

                // Why the last Enter added nothing (not a symbol, not listed, already there).
                objectName: "addError"
                Layout.maximumWidth: 380
                color: view.theme.red
                font.pixelSize: view.theme.px(12)
                elide: Text.ElideRight
                visible: text !== ""
            }
            TextField {
                id: addField

                // Enter adds the highlighted suggestion (moved with the arrow keys), else the
                // typed symbol once the server's list holds it; anything else is refused here,
                // with the reason beside the field, and never reaches the stream.
                function take(symbol: string) {
                    const problem = view.search.problemWith(symbol)
                    if (problem !== "") {
                        addError.text = problem
                        return
                    }
                    if (!view.model.addSymbol(symbol)) {
                        addError.text = qsTr("%1 is already in this list").arg(symbol.trim().toUpperCase())
                        return
                    }
                    addError.text = ""
                    addField.clear()
                    completions.close()
                }

                // Whether the user moved through the suggestions since the last edit: until then
                // none is highlighted or taken by Enter, even when new results arrive (a ListView
                // makes its first row current on each new model, and Enter can come before the
                // timer below undoes that), so Enter never takes one the user did not pick.
                property bool arrowed: false

                objectName: "addField"
                Layout.preferredWidth: 260
                placeholderText: qsTr("Add symbol (Ctrl+N)…")
                Accessible.name: qsTr("Add symbol")
                onTextEdited: {
                    addError.text = ""
                    arrowed = false
                    suggestions.currentIndex = -1
                    view.search.search(addField.text)
                    completions.open()
                }
                onAccepted: {
                    if (completions.visible && arrowed && suggestions.currentIndex >= 0)
                        addField.take(view.search.results[suggestions.currentIndex].symbol)
                    else
                        addField.take(addField.text)
                }
                Keys.onEscapePressed: {
                    completions.close()
                    addError.text = ""
                }
                Keys.onDownPressed: {
                    if (!completions.visible)
                        return
                    arrowed = true
                    suggestions.currentIndex = Math.min(suggestions.currentIndex + 1, suggestions.count - 1)
                }
                Keys.onUpPressed: {
                    if (!completions.visible)
                        return
                    arrowed = true
                    suggestions.currentIndex = Math.max(suggestions.currentIndex - 1, -1)
                }

                Popup {
                    id: completions

                    y: addField.height
                    width: addField.width
                    padding: 0
                    visible: addField.activeFocus && view.search.results.length > 0
                             && addField.text.length > 0

                    ListView {
                        id: suggestions

                        objectName: "suggestions"
                        implicitHeight: contentHeight
                        model: view.search.results
                        currentIndex: -1
                        // After the ListView's own reaction to the new model (next event loop turn).
                        onModelChanged: unpickLater.restart()
                        onCountChanged: unpickLater.restart()

                        Timer {
                            id: unpickLater

                            interval: 0
                            onTriggered: {
                                if (!addField.arrowed)
                                    suggestions.currentIndex = -1
                            }
                        }
                        delegate: ItemDelegate {
                            required property var modelData
                            required property int index

                            width: completions.width
                            text: modelData.symbol + "  —  " + modelData.name
                            highlighted: ListView.isCurrentItem && addField.arrowed
                            onClicked: addField.take(modelData.symbol)
                        }
                    }
                }
            }
        }

        // Column headers: click to sort (again to reverse).
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: 30
            color: view.theme.surfaceAlt

            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 10
                anchors.rightMargin: 10
                spacing: 0

                Repeater {
                    model: view.columns
                    delegate: Text {
                        required property var modelData
                        required property int index

                        Layout.preferredWidth: view.columnWidths[index]
                        horizontalAlignment: index === 0 ? Text.AlignLeft : Text.AlignRight
                        text: modelData.title + (view.model.sortRole === modelData.role
                                                 ? (view.model.sortAscending ? " ▲" : " ▼") : "")
                        color: view.theme.textMuted
                        font.pixelSize: view.theme.px(12)
                        font.bold: true

                        MouseArea {
                            anchors.fill: parent
                            cursorShape: Qt.PointingHandCursor
                            onClicked: view.model.sortBy(parent.modelData.role)
                        }
                    }
                }
                Text {
                    Layout.fillWidth: true
                    leftPadding: 12
                    text: qsTr("Today")
                    color: view.theme.textMuted
                    font.pixelSize: view.theme.px(12)
                    font.bold: true
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            ListView {
                id: rows

                objectName: "watchlistRows"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                model: view.model
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ScrollBar {}
                delegate: WatchlistRow {
                    width: rows.width
                    theme: view.theme
                    flashEnabled: view.flashEnabled
                    selected: index === view.selectedRow
                    columnWidths: view.columnWidths
                    book: view.quotes
                    Connections {
                        target: view
                        function onMenuRequested(r: int) {
                            if (r === index)
                                openMenu()
                        }
                    }
                    alerted: view.alerts !== null && view.alerts.revision >= 0
                             && view.alerts.alerted(symbol)
                    onAlertRequested: view.alertRequested(symbol)
                    onPortfolioRequested: view.portfolioRequested(symbol)
                    onClicked: {
                        view.selectedRow = index
                        view.forceActiveFocus()
                    }
                    onRemoveRequested: {
                        view.selectedRow = index
                        view.removeSelected()
                    }
                    lists: view.model.listNames
                    currentList: view.model.currentList
                    onMoveRequested: list => {
                        view.model.moveRowTo(index, list)
                        view.selectedRow = -1
                    }
                    onCopyRequested: list => view.model.copyRowTo(index, list)
                }
            }
            QuoteDetail {
                book: view.quotes
                bars: view.intraday
                Layout.preferredWidth: 330
                Layout.fillHeight: true
                visible: view.selectedRow >= 0
                theme: view.theme
                model: view.model
                row: view.selectedRow
                onClosed: view.selectedRow = -1
                onAlertRequested: symbol => view.alertRequested(symbol)
            }
        }
    }
}
