# Reward model: held-out accuracy against the number of comparisons
# Render from this directory: gnuplot accuracy-vs-comparisons.gp  (writes accuracy-vs-comparisons.png)
if (!exists("outfile")) outfile = 'accuracy-vs-comparisons.png'
set terminal pngcairo size 800,568 noenhanced font 'Sans,11'
set output outfile
set title 'Reward model: held-out accuracy against the number of comparisons'
set xlabel 'training comparisons'
set ylabel 'accuracy against the annotators'' labels'
set key outside below center horizontal Left reverse samplen 2 maxcols 1 height 1
set grid
set logscale x
set format x '%g'
set xrange [600:4800]
set xtics (1000, 2000, 3000)
set yrange [0.568024677:0.824281092]
set style fill transparent solid 0.2 noborder
plot 'accuracy-vs-comparisons.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'reward model', \
     0.719414265 with lines dt 2 lw 1.5 lc rgb '#333333' title 'human baseline (a second annotator)', \
     0.812633073 with lines dt 4 lw 1.5 lc rgb '#333333' title 'ceiling (the gold order)'
