# Noise of one sample's policy-gradient estimate, tr Cov(Â g), same samples
# Render from this directory: gnuplot gradient-variance.gp  (writes gradient-variance.png)
if (!exists("outfile")) outfile = 'gradient-variance.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Noise of one sample''s policy-gradient estimate, tr Cov(Â g), same samples'
set xlabel ''
set ylabel 'total variance over the adapter''s weights'
set key top left box opaque
set grid
set logscale y
set format y '%g'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set yrange [0:6589.42299]
set xtics nomirror
plot 'gradient-variance.dat' using 2:xtic(1) lc 1 title 'no baseline', \
     'gradient-variance.dat' using 3 lc 2 title 'batch-mean baseline', \
     'gradient-variance.dat' using 4 lc 3 title 'leave-one-out baseline'
