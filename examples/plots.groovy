// Folders and glob patterns: a job reads a folder of palettes and writes a folder of images and a metrics file,
// fetched with patterns; a second job gets those images (`after`) with the same layout.
//
//   ./jbang katapult.java run examples/plots.groovy
//
// Results: results/plots/draw/1/plots/{overview.png,warm/0.png,...,cool/1.png}, metrics.json, and
// results/plots/census/1/census.txt.
katapult {
    project 'plots'

    job {
        name 'draw'
        runScript 'plots/draw.py 16'
        inputFiles 'plots/palettes'            // a folder: lands as palettes/warm.txt, palettes/cool.txt
        outputFiles 'plots/**/*.png',          // every image, in plots/ and its sub-folders
                'metrics.json',
                'logs/?'                       // a folder the script may write: optional (trailing ?)
    }

    job {
        name 'census'
        after 'draw'                           // its images arrive as plots/..., metrics.json beside them
        runCommand 'find plots -name "*.png" | sort > census.txt && cat metrics.json >> census.txt'
        outputFiles 'census.txt'
    }
}
