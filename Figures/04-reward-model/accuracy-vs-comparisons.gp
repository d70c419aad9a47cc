# Reward model: held-out accuracy against the number of comparisons
# Render from this directory: gnuplot accuracy-vs-comparisons.gp  (writes accuracy-vs-comparisons.png)
if (!exists("outfile")) outfile = 'accuracy-vs-comparisons.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Reward model: held-out accuracy against the number of comparisons'
set xlabel 'training comparisons'
set ylabel 'accuracy against the annotators'' labels'
set key bottom right box opaque
set grid
set logscale x
set format x '%g'
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'accuracy-vs-comparisons.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'reward model', \
     0.717079325 with lines dt 2 lw 1.5 lc rgb '#333333' title 'human baseline (a second annotator)', \
     0.797271574 with lines dt 4 lw 1.5 lc rgb '#333333' title 'ceiling (the gold order)'
