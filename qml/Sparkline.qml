import QtQuick

// A line of prices, scaled to its own range; redrawn when the values change.
Canvas {
    id: spark

    property list<real> values
    property color lineColor: "gray"
    property real lineWidth: 1.5
    property bool filled: false

    onValuesChanged: requestPaint()
    onLineColorChanged: requestPaint()
    onWidthChanged: requestPaint()
    onHeightChanged: requestPaint()

    onPaint: {
        const ctx = getContext("2d")
        ctx.reset()
        const n = spark.values.length
        if (n < 2)
            return
        let lo = spark.values[0], hi = spark.values[0]
        for (let i = 1; i < n; ++i) {
            lo = Math.min(lo, spark.values[i])
            hi = Math.max(hi, spark.values[i])
        }
        const span = hi - lo || 1
        const pad = spark.lineWidth
        const x = i => pad + (spark.width - 2 * pad) * i / (n - 1)
        const y = v => spark.height - pad - (spark.height - 2 * pad) * (v - lo) / span
        ctx.beginPath()
        ctx.moveTo(x(0), y(spark.values[0]))
        for (let j = 1; j < n; ++j)
            ctx.lineTo(x(j), y(spark.values[j]))
        ctx.lineWidth = spark.lineWidth
        ctx.strokeStyle = spark.lineColor
        ctx.stroke()
        if (spark.filled) {
            ctx.lineTo(x(n - 1), spark.height)
            ctx.lineTo(x(0), spark.height)
            ctx.closePath()
            ctx.fillStyle = Qt.alpha(spark.lineColor, 0.12)
            ctx.fill()
        }
    }
}
